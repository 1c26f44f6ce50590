import { versionedStepHandler } from "@cdp/lambda-kit";
import { editGreeting } from "../api.ts";
import { options, records } from "./records-shared.ts";

export const handler = versionedStepHandler(
  editGreeting,
  (id, body, expectedVersion, context) => records.editGreeting(id, body, expectedVersion, context),
  options,
);
