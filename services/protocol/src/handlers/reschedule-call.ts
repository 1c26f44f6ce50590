import { rescheduleCall } from "../api.ts";
import { callStepHandler, courtesyCalls } from "./calls-shared.ts";

export const handler = callStepHandler(rescheduleCall, (id, body, expectedVersion, context) =>
  courtesyCalls.reschedule(id, { ...body, expectedVersion }, context),
);
