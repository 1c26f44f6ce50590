import { rejectRequest } from "../api.ts";
import { ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  rejectRequest,
  (request, context, idempotency) => ledger.reject(request.params.id, request.body.reason, context, idempotency),
  (approval) => ({ status: 200, body: approval }),
);
