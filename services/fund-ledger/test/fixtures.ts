import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, type WriteContext } from "@cdp/lambda-kit";
import { DEFAULT_PROGRAMMES } from "../src/domain/chart.ts";
import { table } from "../src/manifest.ts";
import { LedgerReads } from "../src/store/ledger-reads.ts";
import { addProgramme, FundLedger, type Outcome } from "../src/use-cases.ts";

/** A fresh ledger on its own table in DynamoDB Local, with the four programmes. */
export async function freshLedger(
  thresholdYen?: number,
): Promise<{ ledger: FundLedger; reads: LedgerReads; tableName: string }> {
  const tableName = `fund-ledger-${randomUUID()}`;
  await ensureTable(new DynamoDBClient({}), tableName, table);
  const client = createDocumentClient();
  const ledger = new FundLedger(client, tableName);
  const reads = new LedgerReads(client, tableName);
  for (const id of DEFAULT_PROGRAMMES) {
    await addProgramme(
      ledger.store,
      { id, name: { ja: id, en: id }, approvalThresholdYen: thresholdYen },
      at("2026-04-01"),
    );
  }
  return { ledger, reads, tableName };
}

/** A write context on a Tokyo business day (09:00 JST), as a given actor. */
export function at(day: string, actor = "manager-1"): WriteContext {
  return { actor, correlationId: `test-${randomUUID()}`, now: new Date(`${day}T00:00:00Z`) };
}

export const text = (en: string) => ({ ja: en, en });

/** The state a write made (not a replay). */
export function made<State>(outcome: Outcome<State>): State {
  if (outcome.replayed) throw new Error("expected a new write, got a replay");
  return outcome.state;
}
