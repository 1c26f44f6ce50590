import { reverseJournal } from "../api.ts";
import type { Journal } from "../domain/model.ts";
import { created, ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  reverseJournal,
  (request, context, idempotency) =>
    ledger.reverse({ journalId: request.params.id, description: request.body.description }, context, idempotency),
  (journal: Journal) => created(journal, `/journals/${journal.id}`),
);
