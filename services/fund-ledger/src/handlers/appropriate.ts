import { appropriate } from "../api.ts";
import type { Journal } from "../domain/model.ts";
import { created, ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  appropriate,
  (request, context, idempotency) => ledger.appropriate(request.body, context, idempotency),
  (journal: Journal) => created(journal, `/journals/${journal.id}`),
);
