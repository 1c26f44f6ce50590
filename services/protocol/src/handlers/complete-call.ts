import { versionedStepHandler } from "@cdp/lambda-kit";
import { completeCall } from "../api.ts";
import { courtesyCalls, options } from "./calls-shared.ts";

export const handler = versionedStepHandler(
  completeCall,
  (id, body, expectedVersion, context) => courtesyCalls.complete(id, { ...body, expectedVersion }, context),
  options,
);
