import { versionedStepHandler } from "@cdp/lambda-kit";
import { rescheduleCall } from "../api.ts";
import { courtesyCalls, options } from "./calls-shared.ts";

export const handler = versionedStepHandler(
  rescheduleCall,
  (id, body, expectedVersion, context) => courtesyCalls.reschedule(id, { ...body, expectedVersion }, context),
  options,
);
