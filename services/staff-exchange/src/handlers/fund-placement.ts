import { versionedStepHandler } from "@cdp/lambda-kit";
import { requestFunding } from "../api.ts";
import { exchange, options } from "./shared.ts";

export const handler = versionedStepHandler(
  requestFunding,
  (id, body, expectedVersion, context) =>
    exchange.requestFunding(id, { estimate: body.estimate, expectedVersion }, context),
  options,
);
