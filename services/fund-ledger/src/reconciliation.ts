import { randomUUID } from "node:crypto";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { LedgerReconciled, LedgerReconciliationFailed } from "@cdp/contracts";
import { event, Transaction, type WriteContext, withoutKeys } from "@cdp/lambda-kit";
import { balanceOf } from "./domain/balances.ts";
import { keys } from "./store/layout.ts";
import { LedgerReads } from "./store/ledger-reads.ts";
import type { LedgerStore } from "./store/ledger-store.ts";

export interface Mismatch {
  readonly account: string;
  readonly field: string;
  readonly storedYen: number;
  readonly fromEntriesYen: number;
}

export interface ReconciliationRun {
  readonly runId: string;
  readonly checkedAt: string;
  readonly accounts: number;
  readonly trialBalance: { readonly postedTotalYen: number; readonly pendingTotalYen: number };
  readonly mismatches: readonly Mismatch[];
  readonly ok: boolean;
}

/**
 * The nightly check: every account's balance rebuilt from its entries alone, compared with the stored
 * balance (the sum of its shards), and the trial balance, which must be zero. A mismatch is recorded and
 * published as `LedgerReconciliationFailed.v1` (a clean run as `LedgerReconciled.v1`, for the reports); nothing is "fixed": people look, then correct by journal.
 */
export async function reconcile(
  store: LedgerStore,
  reads: LedgerReads,
  context: WriteContext,
): Promise<ReconciliationRun> {
  const accounts = await reads.accounts();
  const stored = await reads.currentCounters(accounts);
  const mismatches: Mismatch[] = [];
  for (const account of accounts) {
    const fromEntries = balanceOf(account, LedgerReads.countersFromEntries(await reads.allEntries(account)));
    const current = stored.get(account);
    if (!current) continue;
    const now = balanceOf(account, current);
    for (const field of ["posted", "pending"] as const) {
      if (now[field] !== fromEntries[field]) {
        mismatches.push({ account, field, storedYen: now[field], fromEntriesYen: fromEntries[field] });
      }
    }
  }
  const trial = await reads.trialBalance();
  for (const [field, total] of [
    ["trial-balance-posted", trial.postedTotalYen],
    ["trial-balance-pending", trial.pendingTotalYen],
  ] as const) {
    if (total !== 0) mismatches.push({ account: "*", field, storedYen: total, fromEntriesYen: 0 });
  }
  const run: ReconciliationRun = {
    runId: randomUUID(),
    checkedAt: context.now.toISOString(),
    accounts: accounts.length,
    trialBalance: { postedTotalYen: trial.postedTotalYen, pendingTotalYen: trial.pendingTotalYen },
    mismatches,
    ok: mismatches.length === 0,
  };
  const tx = new Transaction(store.tableName, context);
  tx.put({ ...keys.reconciliation(run.checkedAt, run.runId), ...run });
  if (run.ok) {
    tx.publish(event(LedgerReconciled, { runId: run.runId, checkedAt: run.checkedAt, accounts: run.accounts }));
  } else {
    tx.publish(
      event(LedgerReconciliationFailed, {
        runId: run.runId,
        checkedAt: run.checkedAt,
        mismatches: mismatches.slice(0, 100).map((m) => ({ ...m })),
      }),
    );
  }
  await tx.commit(store.client);
  return run;
}

/** The latest run, for `GET /reconciliation`. */
export async function latestReconciliation(store: LedgerStore): Promise<ReconciliationRun | undefined> {
  const { Items = [] } = await store.client.send(
    new QueryCommand({
      TableName: store.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.reconciliation("", "").pk },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const [latest] = Items;
  return latest ? withoutKeys<ReconciliationRun>(latest) : undefined;
}
