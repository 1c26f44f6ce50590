import { etag, httpHandler } from "@cdp/lambda-kit";
import { createProgramme } from "../api.ts";
import { exchange, options, writeContext } from "./shared.ts";

export const handler = httpHandler(
  createProgramme,
  async (request) => {
    const programme = await exchange.createProgramme(request.body, writeContext(request));
    return {
      status: 201,
      body: programme,
      headers: { location: `/exchange-programmes/${programme.id}`, etag: etag(programme.version) },
    };
  },
  options,
);
