import { Transaction, VersionConflict, type WriteContext } from "@cdp/lambda-kit";
import { COUNTER_NAMES, type Counters } from "../domain/balances.ts";
import { accountInfo, PRINCIPAL } from "../domain/chart.ts";
import { journalEvent } from "../domain/decide.ts";
import type { Journal } from "../domain/model.ts";
import { putJournal } from "./journal-items.ts";
import { keys, shardCountOf, shardOf } from "./layout.ts";
import type { LedgerStore } from "./ledger-store.ts";
import type { ShardState } from "./shards.ts";

/** What takes a shard's posted balance to zero: the balance on the other side. */
function zeroing(c: Counters): Counters {
  const balance = c.creditsPosted - c.debitsPosted;
  return {
    debitsPosted: Math.max(balance, 0),
    creditsPosted: balance < 0 ? -balance : 0,
    debitsPending: 0,
    creditsPending: 0,
  };
}

/**
 * Writes a closing journal in one transaction: every shard of the closed accounts is zeroed and marked
 * closed, on condition that it is still exactly as read (a write that slipped in makes the close retry),
 * the principal takes what returns, and the journal, its entries and its event are written. A closed
 * shard refuses every later write (see shards.ts), so nothing lands in a closed year.
 */
export async function writeClosing(
  store: LedgerStore,
  journal: Journal | undefined,
  closedAccounts: ReadonlyMap<string, readonly ShardState[]>,
  context: WriteContext,
): Promise<void> {
  const tx = new Transaction(store.tableName, context);
  for (const [account, shards] of closedAccounts) {
    const info = accountInfo(account);
    if (!info) throw new Error(`not an account of the chart: ${account}`);
    for (const shard of shards) {
      if (shard.closed) continue;
      const delta = zeroing(shard.counters);
      const values: Record<string, unknown> = {
        ":at": context.now.toISOString(),
        ":account": account,
        ":shard": shard.shard,
      };
      const adds = COUNTER_NAMES.filter((name) => delta[name] !== 0).map((name) => {
        values[`:${name}`] = delta[name];
        return `${name} :${name}`;
      });
      if (info.rule && shard.available !== 0) {
        values[":available"] = -shard.available;
        adds.push("available :available");
      }
      // A shard holds only the counters some write added to: a zero may be an attribute that does not exist.
      const unchanged = shard.exists
        ? COUNTER_NAMES.map((name) => {
            values[`:was_${name}`] = shard.counters[name];
            return shard.counters[name] === 0
              ? `(attribute_not_exists(${name}) OR ${name} = :was_${name})`
              : `${name} = :was_${name}`;
          }).join(" AND ")
        : "attribute_not_exists(pk)";
      tx.update(keys.balance(account, shard.shard), {
        expression: `SET closedAt = :at, account = :account, shardIndex = :shard${adds.length > 0 ? ` ADD ${adds.join(", ")}` : ""}`,
        values,
        condition: {
          expression: `attribute_not_exists(closedAt) AND ${unchanged}`,
          onFailed: () => new VersionConflict(`shard ${shard.shard} of ${account} changed while closing`),
        },
      });
    }
  }
  if (journal) {
    const returned = journal.lines.find((l) => l.account === PRINCIPAL && l.side === "credit");
    if (returned) {
      tx.update(keys.balance(PRINCIPAL, shardOf(`${journal.id}:${PRINCIPAL}`, shardCountOf(PRINCIPAL))), {
        expression: "SET account = :account ADD creditsPosted :amount, available :amount",
        values: { ":account": PRINCIPAL, ":amount": returned.amountYen },
      });
    }
    putJournal(tx, journal);
    tx.publish(journalEvent(journal));
    tx.audit({ entity: `journal/${journal.id}`, action: "close", beforeVersion: null, afterVersion: 1 });
  }
  store.forget();
  await tx.commit(store.client);
}
