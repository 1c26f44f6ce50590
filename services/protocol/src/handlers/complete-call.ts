import { completeCall } from "../api.ts";
import { callStepHandler, courtesyCalls } from "./calls-shared.ts";

export const handler = callStepHandler(completeCall, (id, body, expectedVersion, context) =>
  courtesyCalls.complete(id, { ...body, expectedVersion }, context),
);
