import { Refused, refuse, type Transaction, VersionConflict } from "@cdp/lambda-kit";
import { addCounters, availableDelta, COUNTER_NAMES, type Counters, movementsOf, ZERO } from "../domain/balances.ts";
import { accountIds, accountInfo } from "../domain/chart.ts";
import { LEDGER_RULES, type LedgerDecision } from "../domain/decide.ts";
import type { Journal } from "../domain/model.ts";
import { keys, shardCountOf, shardOf } from "./layout.ts";
import type { Loaded } from "./ledger-store.ts";

/** One shard of an account's balance as read. */
export interface ShardState {
  readonly shard: number;
  readonly counters: Counters;
  readonly available: number;
  readonly exists: boolean;
  readonly closed: boolean;
}

/** Not one shard has enough, though the account has: move its available into one shard, then try again. */
export class ShardsNeedRebalancing extends VersionConflict {
  constructor(
    readonly account: string,
    readonly needed: number,
  ) {
    super(`no shard of ${account} has ${needed} available`);
  }
}

/** Journals that bring new money in: it is spread over the shards. */
const SPREADS: ReadonlySet<Journal["kind"]> = new Set(["capital", "income", "appropriation"]);

/** Counters split into n parts that sum to them: equal parts, the remainder yen by yen to the first. */
export function splitCounters(counters: Counters, n: number): Counters[] {
  return Array.from({ length: n }, (_, part) => {
    const share = (value: number) => {
      const base = Math.trunc(value / n);
      const remainder = value - base * n;
      return base + (part < Math.abs(remainder) ? Math.sign(remainder) : 0);
    };
    return {
      debitsPosted: share(counters.debitsPosted),
      creditsPosted: share(counters.creditsPosted),
      debitsPending: share(counters.debitsPending),
      creditsPending: share(counters.creditsPending),
    };
  });
}

const num = (value: unknown) => (typeof value === "number" ? value : Number(value ?? 0));

export function shardStateOf(item: Record<string, unknown> | undefined, shard: number): ShardState {
  const counters: Counters = {
    debitsPosted: num(item?.debitsPosted),
    creditsPosted: num(item?.creditsPosted),
    debitsPending: num(item?.debitsPending),
    creditsPending: num(item?.creditsPending),
  };
  return {
    shard,
    counters,
    available: num(item?.available),
    exists: item !== undefined,
    closed: Boolean(item?.closedAt),
  };
}

export function totalOf(shards: readonly ShardState[]): Counters {
  return shards.reduce((sum, s) => addCounters(sum, s.counters), ZERO);
}

/**
 * Every balance shard the journals move, once each (DynamoDB takes one action per item in a
 * transaction): a hold's own shards when it is released, a shard with enough available when an
 * account with a rule is taken from, a hashed one otherwise. Returns the shards a new hold took.
 */
export interface ShardMove {
  readonly account: string;
  readonly shard: number;
  readonly delta: Counters;
  /** The change of the shard's `available` (accounts with a rule). */
  readonly available: number;
}

export function writeMovements<State>(
  tx: Transaction,
  decision: LedgerDecision<State>,
  loaded: Loaded,
): { holdShards: Record<string, number>; moved: ShardMove[] } {
  const held = decision.hold?.next;
  const previousShards = loaded.hold?.shards ?? {};
  const deltas = new Map<string, { account: string; shard: number; delta: Counters; released: number }>();
  const taken = new Map<string, number>(); // account#shard → available already taken in this transaction
  const holdShards: Record<string, number> = { ...previousShards };
  const add = (account: string, shard: number, delta: Counters) => {
    const key = `${account}#${shard}`;
    const previous = deltas.get(key);
    deltas.set(key, {
      account,
      shard,
      delta: addCounters(previous?.delta ?? ZERO, delta),
      released: previous?.released ?? 0,
    });
  };

  for (const journal of decision.journals) {
    for (const [account, delta] of movementsOf(journal.lines, journal.phase)) {
      const info = accountInfo(account);
      if (!info) throw new Error(`not an account of the chart: ${account}`);
      const states = loaded.shards.get(account) ?? [];
      const count = shardCountOf(account);
      const takes = info.rule ? -availableDelta(info, delta) : 0;
      if (takes < 0 && SPREADS.has(journal.kind) && count > 1) {
        // New money is spread over every shard, so that holds find room in any of them.
        for (const [n, part] of splitCounters(delta, count).entries()) add(account, n, part);
        continue;
      }
      let shard: number;
      if (journal.holdId && previousShards[account] !== undefined) {
        shard = previousShards[account]; // a hold's release and posting go where its pending amounts are
      } else if (takes > 0) {
        const candidates = states.filter(
          (s) => !s.closed && s.available - (taken.get(`${account}#${s.shard}`) ?? 0) >= takes,
        );
        const pick = candidates[Math.floor(Math.random() * candidates.length)];
        if (!pick) throw new ShardsNeedRebalancing(account, takes);
        shard = pick.shard;
      } else {
        shard = shardOf(`${journal.id}:${account}`, count);
      }
      if (journal.holdId && journal.phase === "pending") holdShards[account] = shard;
      if (takes > 0) taken.set(`${account}#${shard}`, (taken.get(`${account}#${shard}`) ?? 0) + takes);
      add(account, shard, delta);
    }
  }
  // What a hold gave back on being resolved counts as released on its appropriation's shard.
  if (held && held.status !== "held" && loaded.hold?.status === "held") {
    const account = accountIds.appropriation(held.fiscalYear, held.programme);
    const key = `${account}#${previousShards[account]}`;
    const entry = deltas.get(key);
    if (entry) entry.released += held.releasedYen;
  }
  const moved: ShardMove[] = [];
  for (const { account, shard, delta, released } of deltas.values()) {
    updateShard(tx, account, shard, delta, released);
    const info = accountInfo(account);
    moved.push({ account, shard, delta, available: info?.rule ? availableDelta(info, delta) : 0 });
  }
  return { holdShards, moved };
}

export function updateShard(tx: Transaction, account: string, shard: number, delta: Counters, released: number): void {
  const info = accountInfo(account);
  if (!info) throw new Error(`not an account of the chart: ${account}`);
  const values: Record<string, unknown> = { ":account": account, ":shard": shard };
  const adds: string[] = [];
  for (const name of COUNTER_NAMES) {
    if (delta[name] !== 0) {
      adds.push(`${name} :${name}`);
      values[`:${name}`] = delta[name];
    }
  }
  const change = availableDelta(info, delta);
  if (info.rule && change !== 0) {
    adds.push("available :available");
    values[":available"] = change;
  }
  if (released !== 0) {
    adds.push("released :released");
    values[":released"] = released;
  }
  const conditions = ["attribute_not_exists(closedAt)"];
  if (info.rule && change < 0) {
    conditions.push("available >= :needed");
    values[":needed"] = -change;
  }
  tx.update(keys.balance(account, shard), {
    expression: `SET account = :account, shardIndex = :shard${adds.length > 0 ? ` ADD ${adds.join(", ")}` : ""}`,
    values,
    condition: {
      expression: conditions.join(" AND "),
      onFailed: (item) =>
        item?.closedAt
          ? new Refused(
              refuse.rule(LEDGER_RULES.fiscalYearClosed, `The accounts of FY${info.fiscalYear} are closed`, {
                account,
              }),
            )
          : new VersionConflict(`shard ${shard} of ${account} changed since it was read`),
    },
  });
}
