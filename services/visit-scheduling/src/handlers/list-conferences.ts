import { httpHandler } from "@cdp/lambda-kit";
import { listConferences } from "../api.ts";
import { options, scheduling } from "./shared.ts";

export const handler = httpHandler(
  listConferences,
  async ({ query: { limit, cursor, ...period } }) => ({
    status: 200,
    body: await scheduling.conferences.list(period, limit, cursor),
  }),
  options,
);
