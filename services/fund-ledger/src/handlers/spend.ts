import { spend } from "../api.ts";
import type { ApprovalRequest, Journal } from "../domain/model.ts";
import { created, ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  spend,
  (request, context, idempotency) => ledger.spend(request.body, context, idempotency),
  (result: Journal | ApprovalRequest) =>
    "operation" in result
      ? { status: 202, body: result, headers: { location: `/approvals/${result.id}` } }
      : created(result, `/journals/${result.id}`),
);
