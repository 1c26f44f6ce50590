import { topUpPlacement } from "../api.ts";
import { exchange, stepHandler } from "./shared.ts";

export const handler = stepHandler(topUpPlacement, (id, body, expectedVersion, context) =>
  exchange.topUp(id, { amountYen: body.amountYen, expectedVersion }, context),
);
