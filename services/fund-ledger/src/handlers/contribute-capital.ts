import { contributeCapital } from "../api.ts";
import type { Journal } from "../domain/model.ts";
import { created, ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  contributeCapital,
  (request, context, idempotency) => ledger.contributeCapital(request.body, context, idempotency),
  (journal: Journal) => created(journal, `/journals/${journal.id}`),
);
