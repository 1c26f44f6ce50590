import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, type Refusal, Refused } from "@cdp/lambda-kit";
import { describe, expect, it, vi } from "vitest";
import { accountIds } from "../src/domain/chart.ts";
import type { Hold } from "../src/domain/model.ts";
import { reconcile } from "../src/reconciliation.ts";
import type { LedgerReads } from "../src/store/ledger-reads.ts";
import { FundLedger } from "../src/use-cases.ts";
import { at, freshLedger, made, text } from "./fixtures.ts";

/*
 * Concurrency storms on one programme: 32 clients ask for holds at once against an appropriation that
 * covers only some of them, through one FundLedger or through 32 (as 32 Lambda instances would). Every
 * request is either placed or refused for want of money, the holds placed never exceed the appropriation,
 * and the books still balance and reconcile. Then every placed hold is posted and voided at once: each is
 * resolved exactly once.
 */

const FY = 2026;
const PROGRAMME = "staff-exchange";
const CLIENTS = 32;
const DAY = "2026-06-15";
const TIMEOUT_MS = 120_000;

type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly refusal: Refusal }
  /** Neither made nor refused: lost (a race given up on after every retry) or failed. */
  | { readonly ok: false; readonly error: unknown };

async function attempt<T>(promise: Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return error instanceof Refused ? { ok: false, refusal: error.refusal } : { ok: false, error };
  }
}

/** The requests that were neither made nor refused, described. */
const lost = (results: readonly Result<unknown>[]) =>
  results.flatMap((r, n) => ("error" in r ? [`request ${n}: ${String(r.error)}`] : []));

interface Storm {
  readonly name: string;
  readonly appropriationYen: number;
  readonly holdYen: number;
  readonly separateClients: boolean;
}

const storms: Storm[] = [
  {
    name: "32 × ¥500,000 against ¥10,000,000 through one FundLedger",
    appropriationYen: 10_000_000,
    holdYen: 500_000,
    separateClients: false,
  },
  {
    name: "32 × ¥500,000 against ¥10,000,000 through 32 FundLedgers, each with its own client",
    appropriationYen: 10_000_000,
    holdYen: 500_000,
    separateClients: true,
  },
  // A shard holds an eighth of the appropriation (¥2,500,000): after one hold each, none has ¥2,000,000
  // left, so the last holds that fit are placed only after FundLedger.run rebalances the shards.
  {
    name: "32 × ¥2,000,000 against ¥20,000,000 (more than a shard has left: rebalanced) through one FundLedger",
    appropriationYen: 20_000_000,
    holdYen: 2_000_000,
    separateClients: false,
  },
  {
    name: "32 × ¥2,000,000 against ¥20,000,000 (rebalanced) through 32 FundLedgers",
    appropriationYen: 20_000_000,
    holdYen: 2_000_000,
    separateClients: true,
  },
];

describe("a storm of concurrent holds on one programme", () => {
  for (const { name, appropriationYen, holdYen, separateClients } of storms) {
    it(
      name,
      async () => {
        const { ledger, reads, tableName } = await freshLedger();
        await ledger.contributeCapital({ amountYen: 1_000_000_000, description: text("opening") }, at("2026-04-01"));
        await ledger.appropriate(
          { fiscalYear: FY, programme: PROGRAMME, amountYen: appropriationYen, description: text("budget") },
          at("2026-04-01"),
        );
        const clients: DynamoDBDocumentClient[] = separateClients
          ? Array.from({ length: CLIENTS }, () => createDocumentClient())
          : [];
        const ledgers = separateClients ? clients.map((client) => new FundLedger(client, tableName)) : [ledger];
        const ledgerOf = (n: number) => ledgers[n % ledgers.length] ?? ledger;
        const rebalances = ledgers.map((l) => vi.spyOn(l.store, "rebalance"));
        try {
          // All at once: every request is on its way before any is answered.
          const results = await Promise.all(
            Array.from({ length: CLIENTS }, (_, n) =>
              attempt(
                ledgerOf(n).requestHold(
                  {
                    reference: `placement:storm-${n}`,
                    programme: PROGRAMME,
                    fiscalYear: FY,
                    amountYen: holdYen,
                    description: text(`storm hold ${n}`),
                  },
                  at(DAY, `client-${n}`),
                ),
              ),
            ),
          );
          // Below the approval threshold: each is placed at once (an approval request would fail the check below).
          const placed = results.flatMap((r) => (r.ok ? [made(r.value) as Hold] : []));
          const refusals = results.flatMap((r) => ("refusal" in r ? [r.refusal] : []));

          // None lost: each request placed, or refused because the money was not there.
          expect(lost(results)).toEqual([]);
          expect(placed.length + refusals.length).toBe(CLIENTS);
          for (const hold of placed) expect(hold).toMatchObject({ status: "held", amountYen: holdYen });
          for (const refusal of refusals) {
            expect(refusal).toMatchObject({ kind: "rule-broken", rule: "insufficient-available" });
          }
          const placedYen = placed.reduce((sum, h) => sum + h.amountYen, 0);
          expect(placedYen).toBeLessThanOrEqual(appropriationYen);
          // Refused only when it could not fit: every hold that fits is placed.
          expect(placed).toHaveLength(Math.min(CLIENTS, Math.floor(appropriationYen / holdYen)));
          // A shard's share is not a multiple of the hold (¥1,250,000 / ¥500,000, ¥2,500,000 / ¥2,000,000): the
          // last holds that fit find no shard with enough left, and are placed only after a rebalance.
          expect(rebalances.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBeGreaterThan(0);

          const appropriation = accountIds.appropriation(FY, PROGRAMME);
          const [balance] = await reads.balances([appropriation]);
          expect(balance?.available).toBe(appropriationYen - placedYen);
          expect(balance?.available).toBeGreaterThanOrEqual(0);
          const { shards } = await ledger.store.load({ accounts: [appropriation] }, true);
          for (const shard of shards.get(appropriation) ?? []) expect(shard.available).toBeGreaterThanOrEqual(0);
          expect((await reads.heldHolds(FY)).map((h) => h.id).sort()).toEqual(placed.map((h) => h.id).sort());
          await expectBooksBalance(reads, ledger);

          // Then every placed hold is posted (part of it) and voided at the same moment: one of each pair wins.
          const postedYen = Math.floor(holdYen * 0.6);
          const resolutions = await Promise.all(
            placed.flatMap((hold, n) => [
              attempt(ledgerOf(2 * n).postHold({ holdId: hold.id, amountYen: postedYen }, at(DAY))),
              attempt(ledgerOf(2 * n + 1).voidHold({ holdId: hold.id, reason: "voided" }, at(DAY))),
            ]),
          );
          expect(lost(resolutions)).toEqual([]);
          let posts = 0;
          for (const [n, hold] of placed.entries()) {
            const pair = [resolutions[2 * n], resolutions[2 * n + 1]];
            expect(pair.filter((r) => r?.ok)).toHaveLength(1);
            const loser = pair.find((r) => r && !r.ok);
            expect(loser && "refusal" in loser && loser.refusal).toMatchObject({ kind: "conflict" });
            const stored = await reads.hold(hold.id);
            expect(stored).toMatchObject({ status: pair[0]?.ok ? "posted" : "voided", version: 2 });
            if (pair[0]?.ok) posts++;
          }
          const statement = await reads.statement(FY);
          expect(statement.programmes).toContainEqual({
            programme: PROGRAMME,
            appropriatedYen: appropriationYen,
            heldYen: 0,
            spentYen: posts * postedYen,
            availableYen: appropriationYen - posts * postedYen,
            releasedYen: placedYen - posts * postedYen,
            returnedYen: 0,
          });
          expect(await reads.heldHolds(FY)).toEqual([]);
          await expectBooksBalance(reads, ledger);
        } finally {
          for (const client of clients) client.destroy();
        }
      },
      TIMEOUT_MS,
    );
  }
});

/** The trial balance is zero, and every balance rebuilt from its entries is the stored one. */
async function expectBooksBalance(reads: LedgerReads, ledger: FundLedger): Promise<void> {
  const trial = await reads.trialBalance();
  expect({ posted: trial.postedTotalYen, pending: trial.pendingTotalYen }).toEqual({ posted: 0, pending: 0 });
  const run = await reconcile(ledger.store, reads, at(DAY, "schedule"));
  expect(run.mismatches).toEqual([]);
  expect(run.ok).toBe(true);
}
