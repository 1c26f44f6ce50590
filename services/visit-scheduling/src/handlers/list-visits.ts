import { httpHandler } from "@cdp/lambda-kit";
import { listVisits } from "../api.ts";
import { options, scheduling } from "./shared.ts";

export const handler = httpHandler(
  listVisits,
  async ({ query: { limit, cursor, ...filter } }) => ({
    status: 200,
    body: await scheduling.visits.list(filter, limit, cursor),
  }),
  options,
);
