import { cancelPlacement } from "../api.ts";
import { exchange, stepHandler } from "./shared.ts";

export const handler = stepHandler(cancelPlacement, (id, body, expectedVersion, context) =>
  exchange.cancel(id, { reason: body.reason, incurredYen: body.incurredYen, expectedVersion }, context),
);
