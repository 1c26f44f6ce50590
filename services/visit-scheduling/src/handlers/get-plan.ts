import { httpHandler } from "@cdp/lambda-kit";
import { getPlan } from "../api.ts";
import { options, store } from "./shared.ts";

export const handler = httpHandler(
  getPlan,
  async ({ params }) => ({ status: 200, body: await store.plan(params.fiscalYear) }),
  options,
);
