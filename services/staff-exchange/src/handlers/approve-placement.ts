import { approvePlacement } from "../api.ts";
import { exchange, stepHandler } from "./shared.ts";

export const handler = stepHandler(approvePlacement, (id, _body, expectedVersion, context) =>
  exchange.approve(id, expectedVersion, context),
);
