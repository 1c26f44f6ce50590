import { httpHandler } from "@cdp/lambda-kit";
import { listApprovals } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  listApprovals,
  async () => ({ status: 200, body: { items: await reads.awaitingApprovals() } }),
  options,
);
