import { httpHandler } from "@cdp/lambda-kit";
import { listNotices, SERVICE_NAME } from "../api.ts";
import { store } from "./shared.ts";

export const handler = httpHandler(
  listNotices,
  async ({ query: { limit, cursor, ...filter } }) => ({ status: 200, body: await store.list(filter, limit, cursor) }),
  { serviceName: SERVICE_NAME },
);
