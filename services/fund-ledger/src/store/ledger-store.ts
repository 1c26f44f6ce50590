import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  batchGetAll,
  type PendingEvent,
  Refused,
  recordIdempotentResponse,
  refuse,
  type StoredResponse,
  Transaction,
  TransactionConflict,
  VersionConflict,
  type WriteContext,
  withoutKeys,
} from "@cdp/lambda-kit";
import type { Counters } from "../domain/balances.ts";
import { accountIds, accountInfo } from "../domain/chart.ts";
import { LEDGER_RULES, type LedgerDecision, type LedgerView } from "../domain/decide.ts";
import type { ApprovalRequest, FiscalYear, Hold, Journal, Programme } from "../domain/model.ts";
import { putJournal } from "./journal-items.ts";
import { HELD_SHARDS, index, keys, shardCountOf, shardOf } from "./layout.ts";
import { ReadCache } from "./read-cache.ts";
import { putRequestRecord } from "./requests.ts";
import { type ShardState, shardStateOf, totalOf, writeMovements } from "./shards.ts";

export type StoredJournal = Journal & { readonly reversedBy?: string };
export type StoredHold = Hold & { readonly shards?: Readonly<Record<string, number>> };

export interface Loaded {
  readonly view: LedgerView;
  readonly shards: ReadonlyMap<string, readonly ShardState[]>;
  readonly programme?: Programme | undefined;
  readonly hold?: StoredHold | undefined;
  readonly approval?: ApprovalRequest | undefined;
  readonly journal?: StoredJournal | undefined;
}

export interface LoadRequest {
  readonly accounts?: readonly string[];
  readonly fiscalYears?: readonly number[];
  readonly programme?: string | undefined;
  readonly holdId?: string | undefined;
  readonly approvalId?: string | undefined;
  readonly journalId?: string | undefined;
}

/**
 * Loads what a command needs and writes what was decided, in one TransactWriteItems: the journals and
 * their entries, every balance shard they move (the no-overdraft rule as a condition on each shard taken
 * from), the hold or approval request on the version read, the idempotency record, the audit entry and
 * the events. Whether a change is allowed is decided in `domain/`, never here.
 */
export class LedgerStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  private readonly cache = new ReadCache();

  forget(): void {
    this.cache.clear();
  }

  /** One BatchGetItem for all of it: every shard of every account, the years, the programme, the hold. */
  async load(request: LoadRequest, consistent = false, cached = false): Promise<Loaded> {
    const accounts = [...new Set(request.accounts ?? [])];
    const shardKeys = accounts.flatMap((account) =>
      Array.from({ length: shardCountOf(account) }, (_, n) => keys.balance(account, n)),
    );
    const years = [...new Set(request.fiscalYears ?? [])];
    const wanted = [
      ...shardKeys,
      ...years.map(keys.fiscalYear),
      ...(request.programme ? [keys.programme(request.programme)] : []),
      ...(request.holdId ? [keys.hold(request.holdId)] : []),
      ...(request.approvalId ? [keys.approval(request.approvalId)] : []),
      ...(request.journalId ? [keys.journal(request.journalId)] : []),
    ];
    const id = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`;
    const cacheable = new Set(
      [
        ...shardKeys,
        ...years.map(keys.fiscalYear),
        ...(request.programme ? [keys.programme(request.programme)] : []),
      ].map(id),
    );
    const hits = new Map<string, Record<string, unknown> | undefined>();
    if (cached) {
      for (const key of wanted) {
        const entry = this.cache.get(key);
        if (entry) hits.set(id(key), entry.item);
      }
    }
    const misses = wanted.filter((key) => !hits.has(id(key)));
    const items = misses.length > 0 ? await batchGetAll(this.client, this.tableName, misses, { consistent }) : [];
    const byKey = new Map(hits);
    for (const item of items) byKey.set(`${String(item.pk)}|${String(item.sk)}`, item);
    for (const key of misses) if (cacheable.has(id(key))) this.cache.set(key, byKey.get(id(key)));
    const get = (key: { pk: string; sk: string }) => byKey.get(id(key));

    const shards = new Map<string, ShardState[]>();
    const balances = new Map<string, Counters>();
    for (const account of accounts) {
      const states = Array.from({ length: shardCountOf(account) }, (_, n) =>
        shardStateOf(get(keys.balance(account, n)), n),
      );
      shards.set(account, states);
      if (states.some((s) => s.exists)) balances.set(account, totalOf(states));
    }
    const fiscalYears = new Map<number, FiscalYear>();
    for (const year of years) {
      const item = get(keys.fiscalYear(year));
      if (item) fiscalYears.set(year, withoutKeys<FiscalYear>(item));
    }
    const entity = <T>(key: { pk: string; sk: string } | undefined) => {
      const item = key && get(key);
      return item ? withoutKeys<T>(item) : undefined;
    };
    return {
      view: { balances, fiscalYears },
      shards,
      programme: entity<Programme>(request.programme ? keys.programme(request.programme) : undefined),
      hold: entity<StoredHold>(request.holdId ? keys.hold(request.holdId) : undefined),
      approval: entity<ApprovalRequest>(request.approvalId ? keys.approval(request.approvalId) : undefined),
      journal: entity<StoredJournal>(request.journalId ? keys.journal(request.journalId) : undefined),
    };
  }

  /** Writes the decision in one transaction; `extra` adds what a caller must write with it. */
  async commit<State>(
    decision: LedgerDecision<State>,
    loaded: Loaded,
    context: WriteContext,
    options: {
      idempotency?: { key: string; fingerprint: string; response: StoredResponse } | undefined;
      extra?: ((tx: Transaction) => void) | undefined;
    } = {},
  ): Promise<void> {
    const tx = new Transaction(this.tableName, context);
    const { holdShards, moved } = writeMovements(tx, decision, loaded);
    for (const journal of decision.journals) putJournal(tx, journal);
    if (decision.hold) this.putHold(tx, decision.hold.next, decision.hold.expectedVersion, holdShards);
    if (decision.approval) this.putApproval(tx, decision.approval.next, decision.approval.expectedVersion);
    if (decision.request) putRequestRecord(tx, decision.request.next);
    if (decision.reversal) {
      const { journalId, reversedBy } = decision.reversal;
      tx.update(keys.journal(journalId), {
        expression: "SET reversedBy = :by",
        values: { ":by": reversedBy },
        condition: {
          expression: "attribute_exists(pk) AND attribute_not_exists(reversedBy)",
          onFailed: (item) =>
            new Refused(
              refuse.rule(LEDGER_RULES.alreadyReversed, `Journal ${journalId} is reversed already`, {
                reversedBy: item?.reversedBy,
              }),
            ),
        },
      });
    }
    for (const journal of decision.journals) {
      if (journal.kind === "appropriation") this.openYearAndAccounts(tx, journal);
      if (journal.kind === "capital" || journal.kind === "income") {
        for (const line of journal.lines) tx.put({ ...keys.account(line.account), account: line.account });
      }
    }
    options.extra?.(tx);
    if (options.idempotency) {
      const { key, fingerprint, response } = options.idempotency;
      recordIdempotentResponse(tx, key, fingerprint, response, context.now);
    }
    tx.audit(decision.audit).publishAll(decision.events as PendingEvent[]);
    try {
      await tx.commit(this.client);
    } catch (error) {
      // A condition failed: someone else wrote, so read afresh. A transaction conflict changed nothing yet.
      if (!(error instanceof TransactionConflict)) this.cache.clear();
      throw error;
    }
    this.cache.applyMoves(moved); // what was written is what the next command here would read
  }

  private putHold(tx: Transaction, hold: Hold, expectedVersion: number | null, shards: Record<string, number>): void {
    const listed =
      hold.status === "held"
        ? {
            gsi1pk: index.held(hold.fiscalYear, shardOf(hold.id, HELD_SHARDS)),
            gsi1sk: index.heldSortKey(hold.expiresOn, hold.id),
          }
        : {};
    tx.put(
      { ...keys.hold(hold.id), ...hold, shards, ...listed },
      expectedVersion === null
        ? { expression: "attribute_not_exists(pk)", onFailed: () => new VersionConflict(`hold ${hold.id} exists`) }
        : {
            expression: "version = :expected",
            values: { ":expected": expectedVersion },
            onFailed: () => new VersionConflict(`hold ${hold.id} changed since version ${expectedVersion}`),
          },
    );
  }

  private putApproval(tx: Transaction, approval: ApprovalRequest, expectedVersion: number | null): void {
    const listed =
      approval.status === "awaiting-approval"
        ? { gsi1pk: index.awaiting, gsi1sk: `${approval.requestedAt}#${approval.id}` }
        : {};
    tx.put(
      { ...keys.approval(approval.id), ...approval, ...listed },
      expectedVersion === null
        ? {
            expression: "attribute_not_exists(pk)",
            onFailed: () => new VersionConflict(`approval ${approval.id} exists`),
          }
        : {
            expression: "version = :expected",
            values: { ":expected": expectedVersion },
            onFailed: () => new VersionConflict(`approval ${approval.id} changed since version ${expectedVersion}`),
          },
    );
  }

  /** An appropriation opens its year (if new) and registers the programme-year's three accounts. */
  private openYearAndAccounts(tx: Transaction, journal: Journal): void {
    const appropriation = journal.lines.find((l) => accountInfo(l.account)?.kind === "appropriation");
    const info = appropriation && accountInfo(appropriation.account);
    if (!info?.programme) return;
    const { fiscalYear, programme } = { fiscalYear: journal.fiscalYear, programme: info.programme };
    for (const account of [
      accountIds.appropriation(fiscalYear, programme),
      accountIds.commitments(fiscalYear, programme),
      accountIds.expenses(fiscalYear, programme),
    ]) {
      tx.put({ ...keys.account(account), account, fiscalYear, programme });
    }
    tx.update(keys.fiscalYear(fiscalYear), {
      expression:
        "SET fiscalYear = :fy, #status = if_not_exists(#status, :open), version = if_not_exists(version, :one)",
      names: { "#status": "status" },
      values: { ":fy": fiscalYear, ":open": "open", ":one": 1 },
    });
  }

  /**
   * Moves available from other open shards of the account into the one with the most, until it has what
   * is needed, in one transaction, each donor on condition that it still has what it gives. The account's
   * balance is unchanged.
   */
  async rebalance(account: string, needed: number, context: WriteContext): Promise<void> {
    const info = accountInfo(account);
    if (!info?.rule) return;
    const { shards } = await this.load({ accounts: [account] }, true);
    const states = (shards.get(account) ?? []).filter((s) => s.exists && !s.closed);
    const target = states.reduce<ShardState | undefined>(
      (a, b) => (!a || b.available > a.available ? b : a),
      undefined,
    );
    if (!target) return;
    const side = info.normalSide === "credit" ? "creditsPosted" : "debitsPosted";
    const tx = new Transaction(this.tableName, context);
    let moved = 0;
    // The richest donors first, and only what the target lacks: the rest stays spread for other writers.
    const donors = states
      .filter((s) => s.shard !== target.shard && s.available > 0)
      .sort((a, b) => b.available - a.available);
    for (const donor of donors) {
      const lacking = needed - target.available - moved;
      if (lacking <= 0) break;
      const gives = Math.min(donor.available, lacking);
      moved += gives;
      tx.update(keys.balance(account, donor.shard), {
        expression: `ADD ${side} :minus, available :minus`,
        values: { ":minus": -gives, ":gives": gives },
        condition: {
          expression: "attribute_not_exists(closedAt) AND available >= :gives",
          onFailed: () => new VersionConflict(`shard ${donor.shard} of ${account} changed`),
        },
      });
    }
    this.cache.clear();
    if (moved === 0) return;
    tx.update(keys.balance(account, target.shard), {
      expression: `ADD ${side} :plus, available :plus`,
      values: { ":plus": moved },
      condition: {
        expression: "attribute_not_exists(closedAt)",
        onFailed: () => new VersionConflict(`shard ${target.shard} of ${account} closed`),
      },
    });
    await tx.commit(this.client);
  }
}
