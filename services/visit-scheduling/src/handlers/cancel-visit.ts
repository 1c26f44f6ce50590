import { cancelVisit } from "../api.ts";
import { lifecycleHandler } from "./shared.ts";

export const handler = lifecycleHandler(cancelVisit, (visitId, body) => ({
  action: "cancel",
  visitId,
  reason: body.reason,
}));
