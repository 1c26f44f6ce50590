import { versionedStepHandler } from "@cdp/lambda-kit";
import { editGift } from "../api.ts";
import { options, records } from "./records-shared.ts";

export const handler = versionedStepHandler(
  editGift,
  (id, body, expectedVersion, context) => records.editGift(id, body, expectedVersion, context),
  options,
);
