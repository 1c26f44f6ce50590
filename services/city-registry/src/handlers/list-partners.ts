import { httpHandler } from "@cdp/lambda-kit";
import { listPartners } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  listPartners,
  async ({ query }) => ({ status: 200, body: await reads.listPartners(query) }),
  options,
);
