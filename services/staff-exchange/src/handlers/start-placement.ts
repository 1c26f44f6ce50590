import { startPlacement } from "../api.ts";
import { exchange, stepHandler } from "./shared.ts";

export const handler = stepHandler(startPlacement, (id, _body, expectedVersion, context) =>
  exchange.start(id, expectedVersion, context),
);
