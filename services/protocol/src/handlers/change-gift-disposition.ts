import { versionedStepHandler } from "@cdp/lambda-kit";
import { changeGiftDisposition } from "../api.ts";
import { options, records } from "./records-shared.ts";

export const handler = versionedStepHandler(
  changeGiftDisposition,
  (id, body, expectedVersion, context) => records.changeGiftDisposition(id, body.disposition, expectedVersion, context),
  options,
);
