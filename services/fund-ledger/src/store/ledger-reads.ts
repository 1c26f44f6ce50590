import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { batchGetAll, type Page, queryAll, Refused, refuse, withoutKeys } from "@cdp/lambda-kit";
import { addCounters, type Balance, balanceOf, type Counters, countersOf, ZERO } from "../domain/balances.ts";
import { accountIds, accountInfo } from "../domain/chart.ts";
import type { ApprovalRequest, FiscalYear, Hold, Journal, Programme } from "../domain/model.ts";
import { sumYen } from "../domain/money.ts";
import { HELD_SHARDS, index, keys, shardCountOf } from "./layout.ts";
import type { StoredHold, StoredJournal } from "./ledger-store.ts";
import { shardStateOf } from "./shards.ts";

export interface Entry {
  readonly account: string;
  readonly journalId: string;
  readonly line: number;
  readonly kind: Journal["kind"];
  readonly phase: Journal["phase"];
  readonly date: string;
  readonly side: "debit" | "credit";
  readonly amountYen: number;
}

export interface ProgrammeStatement {
  readonly programme: string;
  readonly appropriatedYen: number;
  readonly heldYen: number;
  readonly spentYen: number;
  readonly availableYen: number;
  readonly releasedYen: number;
  /** Returned to the principal when the year closed. */
  readonly returnedYen: number;
}

const MAX_ENTRY_LIMIT = 100;
const END = "\uffff";

/** What the API reads: entities, balances (now or as of a day), entries, the trial balance, statements. */
export class LedgerReads {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async item<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const [found] = await batchGetAll(this.client, this.tableName, [key]);
    return found ? withoutKeys<T>(found) : undefined;
  }

  async hold(id: string): Promise<Hold | undefined> {
    const stored = await this.item<StoredHold>(keys.hold(id));
    if (!stored) return undefined;
    const { shards: _shards, ...hold } = stored;
    return hold;
  }

  approval(id: string): Promise<ApprovalRequest | undefined> {
    return this.item<ApprovalRequest>(keys.approval(id));
  }

  journal(id: string): Promise<StoredJournal | undefined> {
    return this.item<StoredJournal>(keys.journal(id));
  }

  fiscalYear(fiscalYear: number): Promise<FiscalYear | undefined> {
    return this.item<FiscalYear>(keys.fiscalYear(fiscalYear));
  }

  /** Who did what to an entity, when, under which correlation id. */
  async auditTrail(entity: string): Promise<Record<string, unknown>[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": `AUDIT#${entity}` },
    });
    return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest);
  }

  async programmes(): Promise<Programme[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.programme("").pk },
    });
    return items.map((item) => withoutKeys<Programme>(item));
  }

  async accounts(): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.account("").pk },
      ProjectionExpression: "account",
    });
    return items.map((item) => String(item.account));
  }

  async awaitingApprovals(): Promise<ApprovalRequest[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": index.awaiting },
    });
    return items.map((item) => withoutKeys<ApprovalRequest>(item));
  }

  /** Held holds of a year, those expiring before a day only when it is given. */
  async heldHolds(fiscalYear: number, expiringBefore?: string): Promise<Hold[]> {
    const pages = await Promise.all(
      Array.from({ length: HELD_SHARDS }, (_, shard) =>
        queryAll(this.client, {
          TableName: this.tableName,
          IndexName: "gsi1",
          KeyConditionExpression: expiringBefore ? "gsi1pk = :pk AND gsi1sk < :before" : "gsi1pk = :pk",
          ExpressionAttributeValues: {
            ":pk": index.held(fiscalYear, shard),
            ...(expiringBefore && { ":before": expiringBefore }),
          },
        }),
      ),
    );
    return pages.flat().map((item) => withoutKeys<Hold>(item));
  }

  /** The current counters of accounts: the sum of their shards (also the `released` tally). */
  async currentCounters(accounts: readonly string[]): Promise<Map<string, Counters & { released: number }>> {
    const wanted = accounts.flatMap((account) =>
      Array.from({ length: shardCountOf(account) }, (_, n) => keys.balance(account, n)),
    );
    const items = await batchGetAll(this.client, this.tableName, wanted, { consistent: true });
    const totals = new Map<string, Counters & { released: number }>();
    for (const account of accounts) totals.set(account, { ...ZERO, released: 0 });
    for (const item of items) {
      const account = String(item.account);
      const current = totals.get(account) ?? { ...ZERO, released: 0 };
      const shard = shardStateOf(item, 0);
      totals.set(account, {
        ...addCounters(current, shard.counters),
        released: current.released + Number(item.released ?? 0),
      });
    }
    return totals;
  }

  /** Every entry of an account, all shards, up to a day (inclusive) when given. */
  async allEntries(account: string, throughDate?: string): Promise<Entry[]> {
    const pages = await Promise.all(
      Array.from({ length: shardCountOf(account) }, (_, shard) =>
        queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: throughDate ? "pk = :pk AND sk <= :through" : "pk = :pk",
          ExpressionAttributeValues: {
            ":pk": keys.entryPartition(account, shard),
            ...(throughDate && { ":through": `${throughDate}#${END}` }),
          },
        }),
      ),
    );
    return pages.flat().map((item) => withoutKeys<Entry>(item));
  }

  /** The counters rebuilt from entries alone: what reconciliation compares with the stored balances. */
  static countersFromEntries(entries: readonly Entry[]): Counters {
    return entries.reduce((sum, e) => addCounters(sum, countersOf(e, e.phase)), ZERO);
  }

  async balances(accounts: readonly string[], asOf?: string): Promise<Balance[]> {
    if (!asOf) {
      const current = await this.currentCounters(accounts);
      return accounts.map((account) => balanceOf(account, current.get(account) ?? ZERO));
    }
    return Promise.all(
      accounts.map(async (account) =>
        balanceOf(account, LedgerReads.countersFromEntries(await this.allEntries(account, asOf))),
      ),
    );
  }

  /**
   * A page of an account's entries by date: each shard's partition is read from the cursor on, and
   * the pages merged. The cursor is the last entry's sort key (unique and totally ordered).
   */
  async entries(
    account: string,
    options: { from?: string | undefined; to?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<Page<Entry & { key: string }>> {
    if (!accountInfo(account)) throw new Refused(refuse.notFound(`Account ${account}`));
    const limit = Math.min(options.limit, MAX_ENTRY_LIMIT);
    const lower = options.cursor ? decodeEntryCursor(options.cursor) : options.from ? `${options.from}#` : "0000";
    const upper = options.to ? `${options.to}#${END}` : END;
    const pages = await Promise.all(
      Array.from({ length: shardCountOf(account) }, async (_, shard) => {
        const { Items = [] } = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: "pk = :pk AND sk BETWEEN :lower AND :upper",
            ExpressionAttributeValues: { ":pk": keys.entryPartition(account, shard), ":lower": lower, ":upper": upper },
            Limit: limit + 1,
          }),
        );
        return Items;
      }),
    );
    const merged = pages
      .flat()
      .filter((item) => String(item.sk) !== lower)
      .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1));
    const items = merged.slice(0, limit).map((item) => ({ ...withoutKeys<Entry>(item), key: String(item.sk) }));
    const last = items.at(-1);
    return { items, nextCursor: merged.length > limit && last ? encodeEntryCursor(last.key) : null };
  }

  /** Every account's balance, debits positive and credits negative: both columns sum to zero. */
  async trialBalance(asOf?: string): Promise<{
    accounts: { account: string; postedYen: number; pendingYen: number }[];
    postedTotalYen: number;
    pendingTotalYen: number;
  }> {
    const accounts = await this.accounts();
    const balances = await this.balances(accounts, asOf);
    const rows = balances.map((b) => ({
      account: b.account,
      postedYen: b.counters.debitsPosted - b.counters.creditsPosted,
      pendingYen: b.counters.debitsPending - b.counters.creditsPending,
    }));
    return {
      accounts: rows,
      postedTotalYen: sumYen(rows.map((r) => r.postedYen)),
      pendingTotalYen: sumYen(rows.map((r) => r.pendingYen)),
    };
  }

  /** Per programme of the year: appropriated, held, spent, available, released (and returned once closed). */
  async statement(
    fiscalYear: number,
  ): Promise<{ fiscalYear: number; status: string; programmes: ProgrammeStatement[] }> {
    const [year, accounts] = await Promise.all([this.fiscalYear(fiscalYear), this.accounts()]);
    const programmes = [
      ...new Set(
        accounts
          .map(accountInfo)
          .filter((info) => info?.kind === "appropriation" && info.fiscalYear === fiscalYear)
          .map((info) => String(info?.programme)),
      ),
    ].sort();
    const wanted = programmes.flatMap((p) => [
      accountIds.appropriation(fiscalYear, p),
      accountIds.expenses(fiscalYear, p),
    ]);
    const current = await this.currentCounters(wanted);
    const closing = (
      year as (FiscalYear & { closing?: Record<string, { spentYen: number; returnedYen: number }> }) | undefined
    )?.closing;
    return {
      fiscalYear,
      status: year?.status ?? "open",
      programmes: programmes.map((programme) => {
        const a = current.get(accountIds.appropriation(fiscalYear, programme)) ?? { ...ZERO, released: 0 };
        const e = current.get(accountIds.expenses(fiscalYear, programme)) ?? { ...ZERO, released: 0 };
        const closed = closing?.[programme];
        const heldYen = a.debitsPending;
        const spentYen = closed ? closed.spentYen : e.debitsPosted - e.creditsPosted;
        const availableYen = closed ? 0 : a.creditsPosted - a.debitsPosted - a.debitsPending;
        const returnedYen = closed?.returnedYen ?? 0;
        return {
          programme,
          appropriatedYen: availableYen + heldYen + spentYen + returnedYen,
          heldYen,
          spentYen,
          availableYen,
          releasedYen: a.released,
          returnedYen,
        };
      }),
    };
  }
}

function encodeEntryCursor(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

function decodeEntryCursor(cursor: string): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^\d{4}-\d{2}-\d{2}#/.test(key)) {
    throw new Refused(refuse.invalid([{ path: "query.cursor", message: "not a cursor this API returned" }]));
  }
  return key;
}
