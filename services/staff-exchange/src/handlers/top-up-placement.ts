import { versionedStepHandler } from "@cdp/lambda-kit";
import { topUpPlacement } from "../api.ts";
import { exchange, options } from "./shared.ts";

export const handler = versionedStepHandler(
  topUpPlacement,
  (id, body, expectedVersion, context) => exchange.topUp(id, { amountYen: body.amountYen, expectedVersion }, context),
  options,
);
