import { httpHandler } from "@cdp/lambda-kit";
import { getTrialBalance } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  getTrialBalance,
  async (request) => ({ status: 200, body: await reads.trialBalance(request.query.asOf) }),
  options,
);
