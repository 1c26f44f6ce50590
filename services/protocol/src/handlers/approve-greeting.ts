import { versionedStepHandler } from "@cdp/lambda-kit";
import { approveGreeting } from "../api.ts";
import { options, records } from "./records-shared.ts";

/** Approves the text; on the national day itself the greeting is released at once (status `released`). */
export const handler = versionedStepHandler(
  approveGreeting,
  (id, _body, expectedVersion, context) => records.approveGreeting(id, expectedVersion, context),
  options,
);
