import { httpHandler } from "@cdp/lambda-kit";
import { listProgrammes } from "../api.ts";
import { exchange, options } from "./shared.ts";

export const handler = httpHandler(
  listProgrammes,
  async ({ query: { limit, cursor } }) => ({ status: 200, body: await exchange.programmes.list(limit, cursor) }),
  options,
);
