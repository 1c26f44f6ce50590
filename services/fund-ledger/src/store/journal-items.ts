import { type Transaction, VersionConflict } from "@cdp/lambda-kit";
import type { Journal } from "../domain/model.ts";
import { entrySortKey, keys, shardCountOf, shardOf } from "./layout.ts";

/** A journal and one entry per line, in a shard of the account's entry partitions (hot accounts spread their writes). */
export function putJournal(tx: Transaction, journal: Journal): void {
  tx.put(
    { ...keys.journal(journal.id), ...journal },
    {
      expression: "attribute_not_exists(pk)",
      onFailed: () => new VersionConflict(`journal ${journal.id} exists already`),
    },
  );
  // One entry per line, in a shard of the account's entry partitions: hot accounts spread their writes.
  for (const [line, entry] of journal.lines.entries()) {
    const shard = shardOf(`${journal.id}:${line}`, shardCountOf(entry.account));
    tx.put({
      ...keys.entry(entry.account, shard, entrySortKey(journal.date, journal.createdAt, journal.id, line)),
      account: entry.account,
      journalId: journal.id,
      line,
      kind: journal.kind,
      phase: journal.phase,
      date: journal.date,
      side: entry.side,
      amountYen: entry.amountYen,
    });
  }
}
