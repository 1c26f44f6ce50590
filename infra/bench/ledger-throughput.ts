import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable, startDynamoDbLocal } from "@cdp/dynamodb-local";
import { accountIds } from "@cdp/fund-ledger/domain/chart";
import type { ApprovalRequest, Hold } from "@cdp/fund-ledger/domain/model";
import { table as ledgerTable } from "@cdp/fund-ledger/manifest";
import { reconcile } from "@cdp/fund-ledger/reconciliation";
import { LedgerReads } from "@cdp/fund-ledger/store/ledger-reads";
import { addProgramme, FundLedger, type Idempotency } from "@cdp/fund-ledger/use-cases";
import { createDocumentClient, Refused, requestFingerprint, type WriteContext } from "@cdp/lambda-kit";
import { formatTable } from "./report.ts";
import { type Summary, summarize } from "./stats.ts";

/**
 * The fund ledger under concurrent writers, against DynamoDB Local: holds on one programme (every writer on
 * the same appropriation, the hot case) and spread over many, beside raw TransactWriteItems of the same item
 * count in the same run. After each run the invariants are checked: trial balance zero, no available balance
 * below zero, every operation accounted for, and the balances rebuilt from the entries equal to the stored ones.
 */

/** What one hold over HTTP writes: journal, 2 entries, 2 balance shards, the hold, the idempotency record, 2 events, the audit. */
export const HOLD_TRANSACTION_ITEMS = 10;
const HOLD_YEN = 1_000;
const FISCAL_YEAR = 2026;
const TODAY = new Date("2026-06-15T01:00:00Z");

export interface ThroughputRow {
  readonly workload: "hold, one programme" | "hold, spread" | "raw TransactWriteItems";
  readonly clients: number;
  readonly operations: number;
  readonly opsPerSecond: number;
  readonly latencyMs: Summary;
  readonly refused: number;
  readonly invariants: string;
}

const context = (): WriteContext => ({ actor: "bench", correlationId: `bench-${randomUUID()}`, now: TODAY });

async function timedRun(
  clients: number,
  operations: number,
  operation: (index: number) => Promise<"done" | "refused">,
): Promise<{ seconds: number; latencies: number[]; refused: number; failed: number }> {
  let next = 0;
  let refused = 0;
  let failed = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let index = next++; index < operations; index = next++) {
        const begun = performance.now();
        try {
          if ((await operation(index)) === "refused") refused++;
        } catch {
          failed++;
        }
        latencies.push(performance.now() - begun);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies, refused, failed };
}

async function invariants(ledger: FundLedger, reads: LedgerReads, programmes: readonly string[], failed: number) {
  const problems: string[] = [];
  if (failed > 0) problems.push(`${failed} failed`);
  const trial = await reads.trialBalance();
  if (trial.postedTotalYen !== 0 || trial.pendingTotalYen !== 0) problems.push("trial balance not zero");
  const balances = await reads.balances(programmes.map((p) => accountIds.appropriation(FISCAL_YEAR, p)));
  if (balances.some((b) => b.available < 0)) problems.push("available below zero");
  const run = await reconcile(ledger.store, reads, context());
  if (!run.ok) problems.push(`${run.mismatches.length} reconciliation mismatches`);
  return problems.length === 0 ? "ok" : problems.join("; ");
}

export async function measureLedgerThroughput(settings: {
  readonly clients: readonly number[];
  readonly operations: number;
  readonly programmes: number;
}): Promise<ThroughputRow[]> {
  const raw = new DynamoDBClient({});
  const documents = createDocumentClient();
  const tableName = `fund-ledger-throughput-${randomUUID()}`;
  await ensureTable(raw, tableName, ledgerTable);
  const ledger = new FundLedger(documents, tableName);
  const reads = new LedgerReads(documents, tableName);
  const programmes = Array.from({ length: settings.programmes }, (_, n) => `bench-${n + 1}`);
  await ledger.contributeCapital({ amountYen: 8_000_000_000, description: { ja: "元本", en: "Principal" } }, context());
  for (const programme of programmes) {
    await addProgramme(ledger.store, { id: programme, name: { ja: programme, en: programme } }, context());
    await ledger.appropriate(
      { fiscalYear: FISCAL_YEAR, programme, amountYen: 100_000_000, description: { ja: "予算", en: "Budget" } },
      context(),
    );
  }

  const hold = (programme: string) => async () => {
    const reference = `bench:${randomUUID()}`;
    const body = {
      reference,
      programme,
      fiscalYear: FISCAL_YEAR,
      amountYen: HOLD_YEN,
      description: { ja: "保留", en: "Hold" },
    };
    const idempotency: Idempotency<Hold | ApprovalRequest> = {
      key: reference.replace(":", "-"),
      fingerprint: requestFingerprint("POST", "/holds", body),
      respond: (state) => ({ status: 201, body: state }),
    };
    try {
      await ledger.requestHold(body, context(), idempotency);
      return "done" as const;
    } catch (error) {
      if (error instanceof Refused) return "refused" as const;
      throw error;
    }
  };
  const rawWrite = async () => {
    const id = randomUUID();
    await documents.send(
      new TransactWriteCommand({
        TransactItems: Array.from({ length: HOLD_TRANSACTION_ITEMS }, (_, n) => ({
          Put: {
            TableName: tableName,
            Item: {
              pk: `RAW#${id}#${n}`,
              sk: "RAW",
              amountYen: HOLD_YEN,
              description: { ja: "保留", en: "Hold" },
              at: TODAY.toISOString(),
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        })),
      }),
    );
    return "done" as const;
  };

  const rows: ThroughputRow[] = [];
  const workloads = [
    { workload: "raw TransactWriteItems" as const, operation: () => rawWrite() },
    { workload: "hold, one programme" as const, operation: () => hold(programmes[0] ?? "bench-1")() },
    {
      workload: "hold, spread" as const,
      operation: (i: number) => hold(programmes[i % programmes.length] ?? "bench-1")(),
    },
  ];
  for (const clients of settings.clients) {
    for (const { workload, operation } of workloads) {
      const run = await timedRun(clients, settings.operations, operation);
      rows.push({
        workload,
        clients,
        operations: settings.operations,
        opsPerSecond: settings.operations / run.seconds,
        latencyMs: summarize(run.latencies),
        refused: run.refused,
        invariants: workload.startsWith("raw")
          ? run.failed > 0
            ? `${run.failed} failed`
            : "-"
          : await invariants(ledger, reads, programmes, run.failed),
      });
      console.log(
        `Ledger: ${workload} × ${clients} clients, ${settings.operations} operations, ${run.seconds.toFixed(1)} s`,
      );
    }
  }
  raw.destroy();
  return rows;
}

export function throughputTable(rows: readonly ThroughputRow[]): string {
  const rawAt = new Map(rows.filter((r) => r.workload.startsWith("raw")).map((r) => [r.clients, r.opsPerSecond]));
  return formatTable(
    ["workload", "clients", "ops", "ops/s", "× raw", "p50 ms", "p99 ms", "refused", "invariants"],
    rows.map((r) => [
      r.workload,
      String(r.clients),
      String(r.operations),
      r.opsPerSecond.toFixed(0),
      r.workload.startsWith("raw") ? "1.00×" : `${(r.opsPerSecond / (rawAt.get(r.clients) ?? Number.NaN)).toFixed(2)}×`,
      r.latencyMs.median.toFixed(1),
      r.latencyMs.p99.toFixed(1),
      String(r.refused),
      r.invariants,
    ]),
  );
}

/** The ledger's aims: spread at least 0.8× raw at the most clients, and no collapse on one programme. */
export function ledgerAimsLine(rows: readonly ThroughputRow[]): string {
  const most = Math.max(...rows.map((r) => r.clients));
  const at = (workload: ThroughputRow["workload"], clients: number) =>
    rows.find((r) => r.workload === workload && r.clients === clients)?.opsPerSecond ?? Number.NaN;
  const spread = at("hold, spread", most) / at("raw TransactWriteItems", most);
  const hotPeak = Math.max(...rows.filter((r) => r.workload === "hold, one programme").map((r) => r.opsPerSecond));
  const hotAtMost = at("hold, one programme", most);
  const broken = rows.filter((r) => r.invariants !== "ok" && r.invariants !== "-");
  return [
    `Ledger aims: spread at ${most} clients ${spread.toFixed(2)}× raw vs 0.8×: ${spread >= 0.8 ? "met" : "MISSED"}; `,
    `one programme at ${most} clients ${hotAtMost.toFixed(0)} ops/s, ${(hotAtMost / hotPeak).toFixed(2)}× its best `,
    `(no collapse: ${hotAtMost / hotPeak >= 0.8 ? "met" : "MISSED"}); invariants ${broken.length === 0 ? "held after every run" : `BROKEN in ${broken.length} runs`}`,
  ].join("");
}

/**
 * The measurement on a DynamoDB Local of its own: the benchmark's shared one has by then taken thousands of
 * cold-start writes in its in-memory heap, and slows everything down with them.
 */
export async function measureOnOwnDynamoDb(
  settings: Parameters<typeof measureLedgerThroughput>[0],
): Promise<ThroughputRow[]> {
  const dynamo = await startDynamoDbLocal();
  const previous = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  Object.assign(process.env, {
    AWS_REGION: process.env.AWS_REGION ?? "ap-northeast-1",
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "local",
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  });
  try {
    return await measureLedgerThroughput(settings);
  } finally {
    if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    else process.env.AWS_ENDPOINT_URL_DYNAMODB = previous;
    await dynamo.stop();
  }
}
