import { versionedStepHandler } from "@cdp/lambda-kit";
import { updateMission } from "../api.ts";
import { courtesyCalls, options } from "./calls-shared.ts";

export const handler = versionedStepHandler(
  updateMission,
  (id, body, expectedVersion, context) => courtesyCalls.updateMission(id, body, expectedVersion, context),
  options,
);
