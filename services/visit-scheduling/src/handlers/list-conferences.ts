import { httpHandler } from "@cdp/lambda-kit";
import { listConferences } from "../api.ts";
import { options, store } from "./shared.ts";

export const handler = httpHandler(
  listConferences,
  async ({ query: { limit, cursor, ...period } }) => ({
    status: 200,
    body: await store.listConferences(period, limit, cursor),
  }),
  options,
);
