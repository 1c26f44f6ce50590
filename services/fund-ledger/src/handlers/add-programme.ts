import { addProgramme as route } from "../api.ts";
import type { Programme } from "../domain/model.ts";
import { addProgramme } from "../use-cases.ts";
import { created, ledger, writeHandler } from "./shared.ts";

export const handler = writeHandler(
  route,
  (request, context, idempotency) => addProgramme(ledger.store, request.body, context, idempotency),
  (programme: Programme) => created(programme, `/programmes`),
);
