import { voidHold } from "../api.ts";
import { ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  voidHold,
  (request, context, idempotency) =>
    ledger.voidHold({ holdId: request.params.id, reason: "voided" }, context, idempotency),
  (hold) => ({ status: 200, body: hold }),
);
