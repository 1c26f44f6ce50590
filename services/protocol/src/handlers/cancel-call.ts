import { cancelCall } from "../api.ts";
import { callStepHandler, courtesyCalls } from "./calls-shared.ts";

export const handler = callStepHandler(cancelCall, (id, body, expectedVersion, context) =>
  courtesyCalls.cancel(id, { ...body, expectedVersion }, context),
);
