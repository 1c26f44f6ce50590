import { versionedStepHandler } from "@cdp/lambda-kit";
import { cancelHospitality } from "../api.ts";
import { options, records } from "./records-shared.ts";

export const handler = versionedStepHandler(
  cancelHospitality,
  (id, body, expectedVersion, context) => records.cancelHospitality(id, body.reason, expectedVersion, context),
  options,
);
