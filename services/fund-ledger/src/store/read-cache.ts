import { COUNTER_NAMES } from "../domain/balances.ts";
import { keys } from "./layout.ts";
import type { ShardMove } from "./shards.ts";

type Key = { readonly pk: string; readonly sk: string };
type Item = Record<string, unknown>;

const id = (key: Key) => `${key.pk}|${key.sk}`;

/**
 * What a function instance last read or wrote of balance shards, years and programmes, for a few seconds. A
 * command may decide on it: the conditions of its transaction still guard every rule, a failed condition
 * clears it, and a refusal decided on it is decided again on fresh data. A hold then costs one round trip.
 */
export class ReadCache {
  private readonly entries = new Map<string, { item: Item | undefined; at: number }>();

  constructor(private readonly maxAgeMs = 5_000) {}

  /** The entry if it is recent (`item` undefined: known to be missing), else undefined. */
  get(key: Key, now = Date.now()): { item: Item | undefined } | undefined {
    const entry = this.entries.get(id(key));
    return entry && now - entry.at < this.maxAgeMs ? entry : undefined;
  }

  set(key: Key, item: Item | undefined, now = Date.now()): void {
    this.entries.set(id(key), { item, at: now });
  }

  clear(): void {
    this.entries.clear();
  }

  /** What a committed transaction wrote to the shards this instance keeps. */
  applyMoves(moved: readonly ShardMove[], now = Date.now()): void {
    for (const { account, shard, delta, available } of moved) {
      const key = keys.balance(account, shard);
      const entry = this.entries.get(id(key));
      if (!entry) continue;
      const before = entry.item ?? { ...key, account };
      const after: Item = { ...before, available: Number(before.available ?? 0) + available };
      for (const name of COUNTER_NAMES) after[name] = Number(before[name] ?? 0) + delta[name];
      this.set(key, after, now);
    }
  }
}
