import { versionedStepHandler } from "@cdp/lambda-kit";
import { startPlacement } from "../api.ts";
import { exchange, options } from "./shared.ts";

export const handler = versionedStepHandler(
  startPlacement,
  (id, _body, expectedVersion, context) => exchange.start(id, expectedVersion, context),
  options,
);
