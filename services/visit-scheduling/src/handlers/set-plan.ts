import { httpHandler } from "@cdp/lambda-kit";
import { setPlan } from "../api.ts";
import { options, store, writeContext } from "./shared.ts";

export const handler = httpHandler(
  setPlan,
  async (request) => {
    await store.setPlan(request.params.fiscalYear, request.body, writeContext(request));
    return { status: 200, body: await store.plan(request.params.fiscalYear) };
  },
  options,
);
