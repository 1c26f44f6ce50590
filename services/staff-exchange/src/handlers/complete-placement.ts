import { versionedStepHandler } from "@cdp/lambda-kit";
import { completePlacement } from "../api.ts";
import { exchange, options } from "./shared.ts";

export const handler = versionedStepHandler(
  completePlacement,
  (id, body, expectedVersion, context) => exchange.complete(id, { actual: body.actual, expectedVersion }, context),
  options,
);
