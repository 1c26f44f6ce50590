import { etag, httpHandler } from "@cdp/lambda-kit";
import { proposePlacement } from "../api.ts";
import { exchange, options, writeContext } from "./shared.ts";

export const handler = httpHandler(
  proposePlacement,
  async (request) => {
    const placement = await exchange.propose(request.body, writeContext(request));
    return {
      status: 201,
      body: placement,
      headers: { location: `/placements/${placement.id}`, etag: etag(placement.version) },
    };
  },
  options,
);
