import { cancelVisit } from "../api.ts";
import { lifecycleHandler } from "./shared.ts";

export const handler = lifecycleHandler(cancelVisit, "cancel", (body) => ({ reason: body.reason }));
