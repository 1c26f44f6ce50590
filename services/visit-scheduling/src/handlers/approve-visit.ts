import { approveVisit } from "../api.ts";
import { lifecycleHandler } from "./shared.ts";

export const handler = lifecycleHandler(approveVisit, (visitId) => ({ action: "approve", visitId }));
