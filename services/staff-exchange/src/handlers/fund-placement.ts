import { requestFunding } from "../api.ts";
import { exchange, stepHandler } from "./shared.ts";

export const handler = stepHandler(requestFunding, (id, body, expectedVersion, context) =>
  exchange.requestFunding(id, { estimate: body.estimate, expectedVersion }, context),
);
