import { confirmVisit } from "../api.ts";
import { lifecycleHandler } from "./shared.ts";

export const handler = lifecycleHandler(confirmVisit, (visitId) => ({ action: "confirm", visitId }));
