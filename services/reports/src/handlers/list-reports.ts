import { httpHandler } from "@cdp/lambda-kit";
import { listReports } from "../api.ts";
import { options, reports } from "./shared.ts";

export const handler = httpHandler(
  listReports,
  async ({ query }) => ({ status: 200, body: await reports.list(query.limit, query.cursor) }),
  options,
);
