import { httpHandler } from "@cdp/lambda-kit";
import { getPlan } from "../api.ts";
import { options, scheduling } from "./shared.ts";

export const handler = httpHandler(
  getPlan,
  async ({ params }) => ({ status: 200, body: await scheduling.plans.plan(params.fiscalYear) }),
  options,
);
