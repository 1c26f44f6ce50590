import { completePlacement } from "../api.ts";
import { exchange, stepHandler } from "./shared.ts";

export const handler = stepHandler(completePlacement, (id, body, expectedVersion, context) =>
  exchange.complete(id, { actual: body.actual, expectedVersion }, context),
);
