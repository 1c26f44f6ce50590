import { previousResponse, recordIdempotentResponse, Transaction } from "@cdp/lambda-kit";
import { closeYear } from "../api.ts";
import { closeFiscalYear } from "../year-end.ts";
import { ledger, reads, writeHandler } from "./shared.ts";

/**
 * Closing is several transactions (holds voided, one closing journal per programme, the year locked), each
 * safe to repeat. The Idempotency-Key's record is written once the year is locked: a repeat then gets the
 * same answer, and a repeat of a close that stopped half way finishes it.
 */
export const handler = writeHandler(
  closeYear,
  async (request, context, idempotency) => {
    const { client, tableName } = ledger.store;
    const previous = await previousResponse(client, tableName, idempotency.key, idempotency.fingerprint);
    if (previous) return { replayed: previous };
    await closeFiscalYear(ledger, reads, request.params.fiscalYear, context);
    const year = await reads.fiscalYear(request.params.fiscalYear);
    if (!year) throw new Error(`FY${request.params.fiscalYear} vanished after closing`);
    const tx = new Transaction(tableName, context);
    recordIdempotentResponse(tx, idempotency.key, idempotency.fingerprint, idempotency.respond(year), context.now);
    await tx.commit(client).catch(() => undefined); // the year is closed either way
    return { state: year };
  },
  (year) => ({ status: 200, body: year }),
);
