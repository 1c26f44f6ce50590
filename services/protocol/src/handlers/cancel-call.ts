import { versionedStepHandler } from "@cdp/lambda-kit";
import { cancelCall } from "../api.ts";
import { courtesyCalls, options } from "./calls-shared.ts";

export const handler = versionedStepHandler(
  cancelCall,
  (id, body, expectedVersion, context) => courtesyCalls.cancel(id, { ...body, expectedVersion }, context),
  options,
);
