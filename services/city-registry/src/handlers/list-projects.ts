import { httpHandler } from "@cdp/lambda-kit";
import { listProjects } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  listProjects,
  async ({ query }) => ({ status: 200, body: await reads.listProjects(query.partnerId, query.limit, query.cursor) }),
  options,
);
