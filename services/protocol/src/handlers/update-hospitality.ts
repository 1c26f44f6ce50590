import { versionedStepHandler } from "@cdp/lambda-kit";
import { updateHospitality } from "../api.ts";
import { options, records } from "./records-shared.ts";

export const handler = versionedStepHandler(
  updateHospitality,
  (id, body, expectedVersion, context) => records.updateHospitality(id, body, expectedVersion, context),
  options,
);
