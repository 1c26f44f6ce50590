import { etag, httpHandler, requireIfMatch } from "@cdp/lambda-kit";
import { editPlacement } from "../api.ts";
import { exchange, options, writeContext } from "./shared.ts";

export const handler = httpHandler(
  editPlacement,
  async (request) => {
    const expectedVersion = requireIfMatch(request.headers);
    const placement = await exchange.edit(request.params.id, request.body, expectedVersion, writeContext(request));
    return { status: 200, body: placement, headers: { etag: etag(placement.version) } };
  },
  options,
);
