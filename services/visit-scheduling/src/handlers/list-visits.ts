import { httpHandler } from "@cdp/lambda-kit";
import { listVisits } from "../api.ts";
import { options, store } from "./shared.ts";

export const handler = httpHandler(
  listVisits,
  async ({ query: { limit, cursor, ...filter } }) => ({ status: 200, body: await store.list(filter, limit, cursor) }),
  options,
);
