import { versionedStepHandler } from "@cdp/lambda-kit";
import { approvePlacement } from "../api.ts";
import { exchange, options } from "./shared.ts";

export const handler = versionedStepHandler(
  approvePlacement,
  (id, _body, expectedVersion, context) => exchange.approve(id, expectedVersion, context),
  options,
);
