import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable, startDynamoDbLocal } from "@cdp/dynamodb-local";
import { createDocumentClient } from "@cdp/lambda-kit";
import { requestReport } from "@cdp/reports/domain/report-lifecycle";
import { monthlyReportSchedule, reportRequested, manifest as reports } from "@cdp/reports/manifest";
import { ProjectionStore } from "@cdp/reports/store/projection-store";
import { ReportStore } from "@cdp/reports/store/report-store";
import { startS3Local } from "@cdp/s3-local";
import { startSesLocal } from "@cdp/ses-local";
import { type BundleSize, bundleFunction, bundleScript, type NodeModules } from "./bundle.ts";
import { runNodeScript } from "./child-process.ts";
import { REGION } from "./events.ts";
import { type BenchFunction, benchFunctions } from "./functions.ts";
import { bucketNameOf, functionEnvironment } from "./local-stack.ts";
import type { ReportTimes } from "./report-timing.ts";
import {
  type HistoryShape,
  MONTHLY_REPORT,
  reportYearOnly,
  tenYears,
  type WrittenHistory,
  writeHistory,
} from "./reports-history.ts";
import { evaluateReportAims, reportsReport } from "./reports-report.ts";
import { INIT_ONLY } from "./runners/runtime.ts";
import { type Summary, summarize } from "./stats.ts";

/**
 * The report function's benchmark (`pnpm bench`, or alone `bench:reports`): for histories of 1k, 10k and 100k
 * events (FY2017 to FY2026), each projected and written into a DynamoDB Local of its own, the monthly report
 * (November 2026) as the report function makes it, step by step, in a fresh process per history: cold (the first
 * report, module init included) and warm (the median of several more); the process's memory peak; the function's
 * bundle and init. A last history puts 10k events in FY2026 alone: as many in the report's year as the 100k history
 * has, in a tenth of the history, so the report's cost can be seen to follow the period, not the history.
 */

export interface ReportsSettings {
  readonly histories: readonly HistoryShape[];
  /** Reports after the cold one, in the same process: the warm figures are their medians. */
  readonly warmRuns: number;
  /** Fresh processes that only load the report function's bundle (Lambda's INIT), for its init median. */
  readonly initRuns: number;
}

export interface HistoryFigures extends WrittenHistory {
  readonly shape: HistoryShape;
  /** Items the report's projection reads returned (the period's partitions and the small sets). */
  readonly itemsRead: number;
  /** From the process's start until the report function's module is loaded. */
  readonly initMs: number;
  /** The first report, in the process that just loaded the module. */
  readonly cold: ReportTimes;
  /** From the process's start to the first report done: what a cold invocation costs, Node's start included. */
  readonly coldSinceStartMs: number;
  /** Each step's median over the warm reports. */
  readonly warm: { readonly steps: ReportTimes["steps"]; readonly progressMs: number; readonly totalMs: Summary };
  /** The process's peak resident memory, in MiB. */
  readonly peakRssMb: number;
}

export interface ReportFunctionFigures {
  readonly id: string;
  readonly memorySize: number | undefined;
  /** As the CDK app bundles it: its `runtime.nodeModules` installed beside the bundle. */
  readonly bundle: BundleSize;
  readonly initMs: Summary;
  /** The same function with every package bundled (none installed beside it), for comparison. */
  readonly allBundled: { readonly bundle: BundleSize; readonly initMs: Summary };
}

export interface ReportsFigures {
  readonly histories: readonly HistoryFigures[];
  readonly reportFunction: ReportFunctionFigures;
}

const DIST = join(import.meta.dirname, "..", "dist", "bench", "reports");
const FILES = {
  function: join(DIST, "function", "generate-report.mjs"),
  allBundled: join(DIST, "all-bundled", "generate-report.mjs"),
  timing: join(DIST, "timing", "report-timing.mjs"),
  coldStart: join(DIST, "runners", "cold-start.mjs"),
  reportRun: join(DIST, "runners", "report-run.mjs"),
  requests: join(DIST, "requests"),
};

interface RunReport {
  ok: boolean;
  importMs: number;
  initSinceStartMs: number;
  coldSinceStartMs: number;
  runs: ReportTimes[];
  maxRssKb: number;
}

const median = (values: readonly number[]) => summarize(values).median;

/** The report function as `pnpm bench` knows it: its id, entry, runtime and environment. */
function reportFunction(): BenchFunction {
  const fn = benchFunctions([reports]).find((f) => f.id === `${reports.name}.${reportRequested.name}`);
  if (!fn) throw new Error(`no ${reportRequested.name} function in the ${reports.name} manifest`);
  return fn;
}

const nodeModulesOf = (fn: BenchFunction): NodeModules | undefined =>
  fn.nodeModules && fn.packageRoot ? { names: fn.nodeModules, from: fn.packageRoot } : undefined;

/** Queues `count` monthly reports as the schedule does, and returns their request events' details. */
async function queuedRequests(store: ReportStore, label: string, count: number) {
  const requests = [];
  for (let index = 0; index < count; index++) {
    const reportId = `bench-${label}-${index}`;
    const correlationId = `bench-${label}-${index}`;
    const command = {
      reportId,
      ...MONTHLY_REPORT,
      trigger: "schedule" as const,
      requestedBy: `schedule:${monthlyReportSchedule.name}`,
    };
    const now = new Date();
    await store.change(reportId, (current) => requestReport(current, command, now), {
      actor: "bench",
      correlationId,
      now,
    });
    requests.push({
      ...command,
      correlationId,
      metadata: { eventId: `bench-event-${label}-${index}`, correlationId, occurredAt: now.toISOString() },
    });
  }
  return requests;
}

/** Fresh processes that only load each bundle, alternately, so load on the machine falls on both alike. */
async function initTimes(
  bundles: readonly string[],
  runs: number,
  environment: Readonly<Record<string, string>>,
): Promise<Summary[]> {
  const times = bundles.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    for (const [index, bundle] of bundles.entries()) {
      const { report } = await runNodeScript<{ ok: boolean; sinceProcessStartMs: number }>(
        FILES.coldStart,
        [bundle, INIT_ONLY, "generate-report"],
        environment,
      );
      times[index]?.push(report.sinceProcessStartMs);
    }
  }
  return times.map((values) => summarize(values));
}

export async function measureReports(
  settings: ReportsSettings,
  log: (line: string) => void = console.log,
): Promise<ReportsFigures> {
  const fn = reportFunction();
  const nodeModules = nodeModulesOf(fn);
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(FILES.requests, { recursive: true });
  const [bundle, allBundled] = await Promise.all([
    bundleFunction(fn.entry, FILES.function, nodeModules),
    bundleFunction(fn.entry, FILES.allBundled),
    bundleFunction(join(import.meta.dirname, "report-timing.ts"), FILES.timing, nodeModules),
    bundleScript(join(import.meta.dirname, "runners", "cold-start.ts"), FILES.coldStart),
    bundleScript(join(import.meta.dirname, "runners", "report-run.ts"), FILES.reportRun),
  ]);

  log("Reports: starting the S3 and SES stand-ins, and a DynamoDB Local of its own for each history");
  const stops: (() => Promise<void>)[] = [];
  try {
    const [s3, ses] = await Promise.all([
      startS3Local({ port: 0, buckets: [bucketNameOf(reports.name)] }),
      startSesLocal(),
    ]);
    stops.push(
      () => s3.stop(),
      () => ses.stop(),
    );
    const stack = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    };
    const histories: HistoryFigures[] = [];
    for (const shape of settings.histories) histories.push(await measureHistory(fn, shape, stack, settings, log));

    // Init reads no table: any name and endpoint will do.
    const [initMs, allBundledInitMs] = await initTimes(
      [FILES.function, FILES.allBundled],
      settings.initRuns,
      functionEnvironment(fn, {
        commonEnvironment: { ...stack, AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9" },
        tableName: () => "reports-init",
      }),
    );
    if (!initMs || !allBundledInitMs) throw new Error("no init times");
    return {
      histories,
      reportFunction: {
        id: fn.id,
        memorySize: fn.memorySize,
        bundle,
        initMs,
        allBundled: { bundle: allBundled, initMs: allBundledInitMs },
      },
    };
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

/**
 * One history in a DynamoDB Local of its own (one holding them all slows down as its heap fills: the last history's
 * writes and reads would pay for the ones before): written, its reports queued, then the report function's process.
 */
async function measureHistory(
  fn: BenchFunction,
  shape: HistoryShape,
  stack: Readonly<Record<string, string>>,
  settings: ReportsSettings,
  log: (line: string) => void,
): Promise<HistoryFigures> {
  const dynamo = await startDynamoDbLocal();
  const commonEnvironment = { ...stack, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint };
  // This process writes the history and queues the reports through the service's own stores, on this endpoint.
  const saved = Object.fromEntries(Object.keys(commonEnvironment).map((key) => [key, process.env[key]]));
  Object.assign(process.env, commonEnvironment);
  const client = new DynamoDBClient({});
  const documents = createDocumentClient();
  try {
    const tableName = `reports-${shape.label.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "")}`;
    await ensureTable(client, tableName, reports.table);
    const written = await writeHistory(new ProjectionStore(documents, tableName), shape);
    log(
      `  ${shape.label}: ${written.events} events → ${written.items} items, projected in ` +
        `${(written.projectMs / 1000).toFixed(1)} s, written in ${(written.writeMs / 1000).toFixed(1)} s`,
    );
    const requests = await queuedRequests(new ReportStore(documents, tableName), tableName, 1 + settings.warmRuns);
    const requestsFile = join(FILES.requests, `${tableName}.json`);
    writeFileSync(requestsFile, JSON.stringify(requests));
    const { report } = await runNodeScript<RunReport>(
      FILES.reportRun,
      [FILES.timing, requestsFile],
      functionEnvironment(fn, { commonEnvironment, tableName: () => tableName }),
      900_000,
    );
    const [cold, ...warm] = report.runs;
    if (!cold || warm.length === 0) throw new Error(`${shape.label}: no cold and warm reports`);
    const warmOf = (value: (run: ReportTimes) => number) => median(warm.map(value));
    log(
      `  ${shape.label}: report cold ${report.coldSinceStartMs.toFixed(0)} ms since process start, ` +
        `warm median ${warmOf((run) => run.totalMs).toFixed(0)} ms`,
    );
    return {
      shape,
      ...written,
      itemsRead: cold.itemsRead,
      initMs: report.initSinceStartMs,
      cold,
      coldSinceStartMs: report.coldSinceStartMs,
      warm: {
        steps: Object.fromEntries(
          Object.keys(cold.steps).map((step) => [step, warmOf((run) => run.steps[step as keyof ReportTimes["steps"]])]),
        ) as ReportTimes["steps"],
        progressMs: warmOf((run) => run.progressMs),
        totalMs: summarize(warm.map((run) => run.totalMs)),
      },
      peakRssMb: report.maxRssKb / 1024,
    };
  } finally {
    client.destroy();
    documents.destroy();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await dynamo.stop();
  }
}

/**
 * The settings from the environment: `BENCH_REPORTS_EVENTS` sets the ten-year histories' sizes (comma-separated;
 * 1000,10000,100000 by default), `BENCH_REPORTS_WARM` the warm reports per history (5).
 */
export function reportsSettingsFrom(environment: NodeJS.ProcessEnv): ReportsSettings {
  const sizes = (environment.BENCH_REPORTS_EVENTS ?? "1000,10000,100000").split(",").map(Number);
  const warmRuns = Number(environment.BENCH_REPORTS_WARM ?? 5);
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0) || !Number.isInteger(warmRuns) || warmRuns < 1)
    throw new Error("BENCH_REPORTS_EVENTS must be positive integers, comma-separated; BENCH_REPORTS_WARM at least 1");
  return {
    histories: [...sizes.map(tenYears), reportYearOnly(10_000)],
    warmRuns,
    initRuns: 7,
  };
}

/** Measures, prints, writes the figures to dist/bench/reports-results.json; returns the file. */
export async function runReportsBench(settings: ReportsSettings): Promise<string> {
  const figures = await measureReports(settings);
  console.log(`\n${reportsReport(figures)}`);
  const dist = join(import.meta.dirname, "..", "dist", "bench");
  mkdirSync(dist, { recursive: true });
  const file = join(dist, "reports-results.json");
  writeFileSync(
    file,
    `${JSON.stringify(
      { generatedAt: new Date().toISOString(), settings, ...figures, aims: evaluateReportAims(figures.histories) },
      null,
      2,
    )}\n`,
  );
  return file;
}
