import { createHash } from "node:crypto";
import { type AccountKind, accountInfo } from "../domain/chart.ts";

/**
 * The ledger's single table. Every hot item is split so that no partition takes more than its share:
 * - an account's balance lives in SHARDS[kind] items (`BAL#<account>#<n>`), each with the four counters
 *   and, for an account with a balance rule, its own `available`, kept ≥ 0 by a condition on every write
 *   that takes from it. The account's balance is the sum of its shards.
 * - an account's entries live beside the shard that took them (`ENTRY#<account>#<n>`), sorted by date.
 * - the held holds of a year are listed in HELD_SHARDS index partitions.
 * See the service README for the numbers.
 */
export const SHARDS: Readonly<Record<AccountKind, number>> = {
  bank: 8,
  principal: 2,
  income: 2,
  appropriation: 8,
  commitments: 8,
  expenses: 8,
};
export const HELD_SHARDS = 4;

export function shardCountOf(account: string): number {
  const info = accountInfo(account);
  if (!info) throw new Error(`not an account of the chart: ${account}`);
  return SHARDS[info.kind];
}

/** A stable spread of ids over n shards. */
export function shardOf(id: string, n: number): number {
  return createHash("sha1").update(id).digest().readUInt32BE(0) % n;
}

export const keys = {
  balance: (account: string, shard: number) => ({ pk: `BAL#${account}#${shard}`, sk: "BAL" }),
  entryPartition: (account: string, shard: number) => `ENTRY#${account}#${shard}`,
  entry: (account: string, shard: number, sortKey: string) => ({ pk: `ENTRY#${account}#${shard}`, sk: sortKey }),
  journal: (id: string) => ({ pk: `JOURNAL#${id}`, sk: "JOURNAL" }),
  hold: (id: string) => ({ pk: `HOLD#${id}`, sk: "HOLD" }),
  approval: (id: string) => ({ pk: `APPROVAL#${id}`, sk: "APPROVAL" }),
  programme: (id: string) => ({ pk: "PROGRAMMES", sk: id }),
  fiscalYear: (fiscalYear: number) => ({ pk: `FY#${fiscalYear}`, sk: "FY" }),
  account: (account: string) => ({ pk: "ACCOUNTS", sk: account }),
  request: (requester: string, reference: string) => ({ pk: `REQUEST#${requester}#${reference}`, sk: "REQUEST" }),
  reconciliation: (checkedAt: string, runId: string) => ({ pk: "RECONCILIATION", sk: `${checkedAt}#${runId}` }),
};

/** Index keys: held holds by year (for expiry and closing) and approval requests awaiting a decision. */
export const index = {
  held: (fiscalYear: number, shard: number) => `HELD#${fiscalYear}#${shard}`,
  heldSortKey: (expiresOn: string | undefined, holdId: string) => `${expiresOn ?? "9999-12-31"}#${holdId}`,
  awaiting: "APPROVALS#awaiting-approval",
};

/** The entry's sort key: by date, then by when it was written, then journal and line. */
export function entrySortKey(date: string, createdAt: string, journalId: string, line: number): string {
  return `${date}#${createdAt}#${journalId}#${String(line).padStart(3, "0")}`;
}
