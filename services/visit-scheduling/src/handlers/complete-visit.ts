import { completeVisit } from "../api.ts";
import { lifecycleHandler } from "./shared.ts";

export const handler = lifecycleHandler(completeVisit, (visitId, body) => ({
  action: "complete",
  visitId,
  actualCostYen: body.actualCostYen,
}));
