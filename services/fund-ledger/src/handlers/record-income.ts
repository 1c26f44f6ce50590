import { recordIncome } from "../api.ts";
import type { Journal } from "../domain/model.ts";
import { created, ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  recordIncome,
  (request, context, idempotency) => ledger.recordIncome(request.body, context, idempotency),
  (journal: Journal) => created(journal, `/journals/${journal.id}`),
);
