import { httpHandler } from "@cdp/lambda-kit";
import { listPartners } from "../api.ts";
import { options, store } from "./shared.ts";

export const handler = httpHandler(
  listPartners,
  async ({ query }) => ({ status: 200, body: await store.listPartners(query) }),
  options,
);
