import { versionedStepHandler } from "@cdp/lambda-kit";
import { cancelPlacement } from "../api.ts";
import { exchange, options } from "./shared.ts";

export const handler = versionedStepHandler(
  cancelPlacement,
  (id, body, expectedVersion, context) =>
    exchange.cancel(id, { reason: body.reason, incurredYen: body.incurredYen, expectedVersion }, context),
  options,
);
