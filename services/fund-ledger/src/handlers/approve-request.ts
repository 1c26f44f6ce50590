import { approveRequest } from "../api.ts";
import { ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  approveRequest,
  (request, context, idempotency) => ledger.approve(request.params.id, context, idempotency),
  (approval) => ({ status: 200, body: approval }),
);
