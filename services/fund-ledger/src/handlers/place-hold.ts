import { placeHold } from "../api.ts";
import type { ApprovalRequest, Hold } from "../domain/model.ts";
import { created, ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  placeHold,
  (request, context, idempotency) => ledger.requestHold(request.body, context, idempotency),
  (result: Hold | ApprovalRequest) =>
    "operation" in result
      ? { status: 202, body: result, headers: { location: `/approvals/${result.id}` } }
      : created(result, `/holds/${result.id}`),
);
