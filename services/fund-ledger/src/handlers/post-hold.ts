import { postHold } from "../api.ts";
import { ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  postHold,
  (request, context, idempotency) =>
    ledger.postHold({ holdId: request.params.id, amountYen: request.body.amountYen }, context, idempotency),
  (hold) => ({ status: 200, body: hold }),
);
