import { httpHandler } from "@cdp/lambda-kit";
import { listPlacements } from "../api.ts";
import { exchange, options } from "./shared.ts";

export const handler = httpHandler(
  listPlacements,
  async ({ query: { limit, cursor, fundingOverdue, ...filter } }) => ({
    status: 200,
    body: await exchange.placements.list({ ...filter, fundingOverdue: fundingOverdue === "true" }, limit, cursor),
  }),
  options,
);
