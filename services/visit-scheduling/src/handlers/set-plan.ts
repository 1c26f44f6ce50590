import { httpHandler } from "@cdp/lambda-kit";
import { setPlan } from "../api.ts";
import { options, scheduling, writeContext } from "./shared.ts";

export const handler = httpHandler(
  setPlan,
  async (request) => {
    await scheduling.setPlan(request.params.fiscalYear, request.body, writeContext(request));
    return { status: 200, body: await scheduling.plans.plan(request.params.fiscalYear) };
  },
  options,
);
