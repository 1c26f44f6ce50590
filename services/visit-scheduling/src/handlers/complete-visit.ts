import { completeVisit } from "../api.ts";
import { lifecycleHandler } from "./shared.ts";

export const handler = lifecycleHandler(completeVisit, "complete", (body) => ({ actualCostYen: body.actualCostYen }));
