import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { services as manifests } from "../services.ts";
import { type BundleSize, bundleFunction, bundleScript } from "./bundle.ts";
import { killRunningChildren, runNodeScript } from "./child-process.ts";
import { type BenchFunction, benchFunctions, failureOf, type InvocationContext } from "./functions.ts";
import { ledgerAimsLine, measureOnOwnDynamoDb, throughputTable } from "./ledger-throughput.ts";
import { killLoadChildren, loadReport, loadSettingsFrom, measureLoad, writeLoadResults } from "./load-bench.ts";
import { functionEnvironment, type LocalStack, startLocalStack } from "./local-stack.ts";
import {
  AIMS,
  aimsLine,
  evaluateAims,
  type FunctionFigures,
  functionTable,
  type KitOverhead,
  kitOverheadText,
  legend,
} from "./report.ts";
import { reportsSettingsFrom, runReportsBench } from "./reports-bench.ts";
import { seedReports } from "./reports-history.ts";
import { INIT_ONLY } from "./runners/runtime.ts";
import { sampleCoverage } from "./samples.ts";
import { benchSelection } from "./selection.ts";
import { type Summary, summarize } from "./stats.ts";

const median = (values: readonly number[]) => summarize(values).median;

/**
 * `pnpm bench`: bundle size, cold start and warm per-request cost of every function of every manifest, beside
 * three yardsticks: a bare handler, the kit around a constant, and a minimal GetItem handler; then the fund ledger's
 * throughput, the report function's monthly report at 1k, 10k and 100k events (`reports-bench.ts`, alone:
 * `bench:reports`), and the local API under load (`load-bench.ts`, alone: `bench:load`). `BENCH_PARTS` and
 * `BENCH_SERVICES` narrow it to some parts or services (selection.ts). Fails when a function has no
 * sample or its sample does not succeed, and when a load scenario has an error, a timeout or a non-2xx answer; the
 * aims are reported, never enforced.
 */

const SETTINGS = {
  coldStartRounds: 9,
  kitOverhead: { warmup: 200, count: 2000 },
  /** Real reads go to DynamoDB Local (milliseconds each): fewer suffice for a median. */
  warmReads: { warmup: 20, count: 200 },
  /** Fund ledger holds against DynamoDB Local: at 1, 8 and 32 concurrent clients, hot and spread over 16 programmes. */
  ledger: { clients: [1, 8, 32], operations: 320, programmes: 16 },
  aims: AIMS,
} as const;

const LEDGER_LEGEND =
  "Fund ledger, holds against a DynamoDB Local of their own, from this process: one programme (every client on one appropriation) " +
  "and spread over 16, beside raw TransactWriteItems of the same 10 items; invariants checked after each run " +
  "(trial balance zero, no available below zero, nothing failed, balances rebuilt from entries equal)";

const DIST = join(import.meta.dirname, "..", "dist", "bench");
const bundlePath = (fn: BenchFunction) => join(DIST, "functions", `${fn.id}.mjs`);
const eventPath = (fn: BenchFunction) => join(DIST, "events", `${fn.id}.json`);
const RUNNERS = {
  coldStart: join(DIST, "runners", "cold-start.mjs"),
  warmLoop: join(DIST, "runners", "warm-loop.mjs"),
};

interface ColdStartReport {
  ok: boolean;
  importMs: number;
  firstInvokeMs: number;
  sinceProcessStartMs: number;
  response: unknown;
}
interface WarmLoopReport {
  ok: boolean;
  microseconds: number[];
  unexpected?: unknown;
}
interface InitReport {
  ok: boolean;
  sinceProcessStartMs: number;
}
interface ColdStartRun {
  spawnToResponseMs: number;
  inProcessMs: number;
  importMs: number;
  firstInvokeMs: number;
  nodeStartupMs: number;
}
type Loop = { readonly warmup: number; readonly count: number };

function invocationContext(stack: LocalStack): InvocationContext {
  let counter = 0;
  const serial = () => counter++;
  return {
    readItem: (service, key) => stack.readItem(service, key),
    store: (service, Store) => stack.store(service, Store),
    serial,
    unique: () => `${Date.now().toString(36)}-${serial().toString(36)}`,
    today: () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Tokyo" }),
    tableName: (service) => stack.tableName(service),
  };
}

/** Writes a fresh event for the function (samples depend on the current data) and returns its file. */
async function writeEvent(fn: BenchFunction, context: InvocationContext): Promise<string> {
  const file = eventPath(fn);
  writeFileSync(file, JSON.stringify(await fn.event(context)));
  return file;
}

/** Lambda's INIT alone: a fresh `node` loads the bundle and exits. Milliseconds from the process's start. */
async function initOnly(fn: BenchFunction, stack: LocalStack): Promise<number> {
  const { report } = await runNodeScript<InitReport>(
    RUNNERS.coldStart,
    [bundlePath(fn), INIT_ONLY, fn.id],
    functionEnvironment(fn, stack),
  );
  return report.sinceProcessStartMs;
}

async function coldStart(fn: BenchFunction, stack: LocalStack, context: InvocationContext): Promise<ColdStartRun> {
  const event = await writeEvent(fn, context);
  const { report, elapsedMs } = await runNodeScript<ColdStartReport>(
    RUNNERS.coldStart,
    [bundlePath(fn), event, fn.id],
    functionEnvironment(fn, stack),
  );
  const failure = failureOf(fn, report.response);
  if (failure) throw new Error(`${fn.id}: its sample ${failure}`);
  const inProcessMs = report.importMs + report.firstInvokeMs;
  return {
    spawnToResponseMs: elapsedMs,
    inProcessMs,
    importMs: report.importMs,
    firstInvokeMs: report.firstInvokeMs,
    nodeStartupMs: report.sinceProcessStartMs - inProcessMs,
  };
}

async function warmLoop(
  fn: BenchFunction,
  stack: LocalStack,
  context: InvocationContext,
  loop: Loop,
  extraEnvironment: Readonly<Record<string, string>> = {},
): Promise<Summary> {
  const event = await writeEvent(fn, context);
  const { report } = await runNodeScript<WarmLoopReport>(
    RUNNERS.warmLoop,
    [bundlePath(fn), event, fn.id, String(loop.warmup), String(loop.count)],
    { ...functionEnvironment(fn, stack), ...extraEnvironment },
    300_000,
  );
  if (report.unexpected !== undefined)
    throw new Error(`${fn.id}: warm, its sample ${failureOf(fn, report.unexpected)}`);
  return summarize(report.microseconds);
}

async function bundleAll(functions: readonly BenchFunction[]): Promise<Map<string, BundleSize>> {
  const started = performance.now();
  const sizes = await Promise.all(
    functions.map((fn) =>
      bundleFunction(
        fn.entry,
        bundlePath(fn),
        fn.nodeModules && fn.packageRoot ? { names: fn.nodeModules, from: fn.packageRoot } : undefined,
      ),
    ),
  );
  await bundleScript(join(import.meta.dirname, "runners", "cold-start.ts"), RUNNERS.coldStart);
  await bundleScript(join(import.meta.dirname, "runners", "warm-loop.ts"), RUNNERS.warmLoop);
  console.log(`Bundled ${functions.length} functions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return new Map(functions.map((fn, index) => [fn.id, sizes[index] as BundleSize]));
}

/**
 * Round-robin, not function by function: any drift of the machine (the other core busy, DynamoDB Local's JIT)
 * spreads over every function alike instead of favouring the ones measured last.
 */
const MINIMAL_ID = "reference.minimal-getitem";

/** How many functions run between two runs of the minimal handler: each is compared with the nearest one. */
const MINIMAL_EVERY = 6;

interface ColdRuns {
  readonly runs: Map<string, ColdStartRun[]>;
  /** For each function's run, the minimal handler's run just before it: load on the machine shifts both alike. */
  readonly pairedMinimal: Map<string, ColdStartRun[]>;
  /** Init alone (Lambda's INIT), each with the minimal handler's init just before it. */
  readonly inits: Map<string, { initMs: number; minimalInitMs: number }[]>;
}

async function measureColdStarts(
  functions: readonly BenchFunction[],
  stack: LocalStack,
  context: InvocationContext,
): Promise<ColdRuns> {
  const runs = new Map(functions.map((fn) => [fn.id, [] as ColdStartRun[]]));
  const pairedMinimal = new Map(functions.map((fn) => [fn.id, [] as ColdStartRun[]]));
  const inits = new Map(functions.map((fn) => [fn.id, [] as { initMs: number; minimalInitMs: number }[]]));
  const minimal = functions.find((fn) => fn.id === MINIMAL_ID);
  if (!minimal) throw new Error(`no ${MINIMAL_ID} among the functions`);
  // Discarded: the first `node` after a pause pays for reading the binary from disk.
  for (const fn of functions.slice(0, 1)) await coldStart(fn, stack, context);
  // A function sent several kinds of event gets each once first: every sample is checked, not only those the
  // rounds reach.
  for (const fn of functions.filter((f) => (f.eventKinds ?? 1) > 1)) {
    for (let kind = 0; kind < (fn.eventKinds ?? 1); kind++) await coldStart(fn, stack, context);
    console.log(`Samples: ${fn.id}, each of its ${fn.eventKinds} kinds of event answered`);
  }
  /** One pass over every function, the minimal handler every MINIMAL_EVERY functions; returns each run with its pair. */
  const pass = async <Run>(measure: (fn: BenchFunction) => Promise<Run>) => {
    const measured = new Map<string, { run: Run; minimal: Run }>();
    let nearest = await measure(minimal);
    for (const [index, fn] of functions.entries()) {
      if (index > 0 && index % MINIMAL_EVERY === 0) nearest = await measure(minimal);
      measured.set(fn.id, { run: fn === minimal ? nearest : await measure(fn), minimal: nearest });
    }
    return measured;
  };
  const rounds = SETTINGS.coldStartRounds;
  for (let round = 1; round <= rounds; round++) {
    const started = performance.now();
    // Init alone first, with no request anywhere: DynamoDB Local's work after a request (a write's commit, its
    // JIT) would otherwise fall into the next process's start-up, as it never does on Lambda.
    // Two init passes a round: they are cheap (no request), and a median of twice as many runs is steadier.
    for (const initPass of [await pass((fn) => initOnly(fn, stack)), await pass((fn) => initOnly(fn, stack))]) {
      for (const [id, { run, minimal: minimalRun }] of initPass)
        inits.get(id)?.push({ initMs: run, minimalInitMs: minimalRun });
    }
    for (const [id, { run, minimal: minimalRun }] of await pass((fn) => coldStart(fn, stack, context))) {
      runs.get(id)?.push(run);
      pairedMinimal.get(id)?.push(minimalRun);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Cold starts: round ${round}/${rounds} of ${functions.length} functions, ${seconds} s`);
  }
  return { runs, pairedMinimal, inits };
}

/** The bare handler against the kit around a constant, same event, no I/O: what the kit itself costs. */
async function measureKitOverhead(
  functions: readonly BenchFunction[],
  stack: LocalStack,
  context: InvocationContext,
): Promise<KitOverhead> {
  const byId = (id: string) => {
    const fn = functions.find((f) => f.id === id);
    if (!fn) throw new Error(`no function ${id}`);
    return fn;
  };
  const loop = SETTINGS.kitOverhead;
  const bareMicroseconds = await warmLoop(byId("reference.bare"), stack, context, loop);
  const kitMicroseconds = await warmLoop(byId("reference.kit-constant"), stack, context, loop);
  // The same again without its log line: shows how much of the overhead is logging.
  const kitSilentMicroseconds = await warmLoop(byId("reference.kit-constant"), stack, context, loop, {
    LOG_LEVEL: "SILENT",
  });
  return {
    bareMicroseconds,
    kitMicroseconds,
    kitSilentMicroseconds,
    overheadMicroseconds: kitMicroseconds.median - bareMicroseconds.median,
  };
}

/** Every read route, and the minimal GetItem for comparison: real requests to DynamoDB Local. */
async function measureWarmReads(
  functions: readonly BenchFunction[],
  stack: LocalStack,
  context: InvocationContext,
): Promise<Map<string, Summary>> {
  const reads = functions.filter((fn) => fn.readOnly && (fn.kind === "route" || fn.id === "reference.minimal-getitem"));
  const results = new Map<string, Summary>();
  for (const fn of reads) results.set(fn.id, await warmLoop(fn, stack, context, SETTINGS.warmReads));
  return results;
}

function figuresOf(
  functions: readonly BenchFunction[],
  bundles: ReadonlyMap<string, BundleSize>,
  coldRuns: ColdRuns,
  warmReads: ReadonlyMap<string, Summary>,
): FunctionFigures[] {
  const minimalRuns = coldRuns.runs.get(MINIMAL_ID) ?? [];
  const minimal = summarize(minimalRuns.map((r) => r.spawnToResponseMs));
  const minimalInit = summarize((coldRuns.inits.get(MINIMAL_ID) ?? []).map((r) => r.initMs));
  return functions.map((fn) => {
    const runs = coldRuns.runs.get(fn.id) ?? [];
    const paired = coldRuns.pairedMinimal.get(fn.id) ?? [];
    const of = (key: keyof ColdStartRun) => summarize(runs.map((run) => run[key]));
    const spawnToResponseMs = of("spawnToResponseMs");
    const initRuns = coldRuns.inits.get(fn.id) ?? [];
    const initMs = summarize(initRuns.map((r) => r.initMs));
    const warm = warmReads.get(fn.id);
    return {
      id: fn.id,
      kind: fn.kind,
      bundle: bundles.get(fn.id) ?? { bytes: 0, gzipBytes: 0 },
      coldStart: {
        spawnToResponseMs,
        inProcessMs: of("inProcessMs"),
        importMs: of("importMs"),
        firstInvokeMs: of("firstInvokeMs"),
        nodeStartupMs: of("nodeStartupMs"),
        initMs,
        // Each run over the minimal handler's run just before it: load on the machine shifts both alike.
        initRatioToMinimal: median(initRuns.map((r) => r.initMs / r.minimalInitMs)),
        fastestInitRatioToMinimal: initMs.min / minimalInit.min,
        ratioToMinimal: median(
          runs.map((run, i) => run.spawnToResponseMs / (paired[i]?.spawnToResponseMs ?? Number.NaN)),
        ),
        fastestRatioToMinimal: spawnToResponseMs.min / minimal.min,
      },
      ...(warm && { warmMicroseconds: warm }),
      ...(fn.ownAim !== undefined && { ownAim: fn.ownAim }),
    };
  });
}

async function main(): Promise<void> {
  // Before anything starts: a function without a sample fails the run here.
  const { parts, services } = benchSelection(process.env, manifests);
  const functions = benchFunctions(services);
  // So is a wrong BENCH_LOAD_* variable (see load.ts).
  const loadSettings = loadSettingsFrom(process.env);
  // And a wrong BENCH_REPORTS_* one (see reports-bench.ts).
  const reportsSettings = reportsSettingsFrom(process.env);
  const { unused } = sampleCoverage(manifests);
  if (unused.length > 0) console.warn(`Samples naming no function (remove them from samples.ts): ${unused.join(", ")}`);
  console.log(`Node ${process.version} on ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}`);
  if (parts.has("functions")) await measureFunctions(functions, services);
  if (parts.has("ledger")) await measureLedger();
  if (parts.has("reports")) {
    console.log(`\nReports: the monthly report at ${reportsSettings.histories.map((h) => h.label).join(", ")}`);
    console.log(`Reports figures written to ${await runReportsBench(reportsSettings)}`);
  }
  if (parts.has("load")) {
    const load = await measureLoad(loadSettings);
    console.log(`\n${loadReport(load)}`);
    console.log(`Load figures written to ${writeLoadResults(load)}`);
    if (!load.verdict.ok) process.exitCode = 1;
  }
}

/** Every function's bundle, cold start and (read routes) warm cost, against a local stack of their services. */
async function measureFunctions(functions: readonly BenchFunction[], services: typeof manifests): Promise<void> {
  for (const dir of ["functions", "events", "runners"]) mkdirSync(join(DIST, dir), { recursive: true });
  const bundles = await bundleAll(functions);

  console.log("Starting DynamoDB Local, the SES and S3 stand-ins and the local EventBridge");
  const stack = await startLocalStack(services, { reports: seedReports });
  const stopOnSignal = () => {
    killRunningChildren();
    killLoadChildren();
    void stack.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", stopOnSignal).once("SIGTERM", stopOnSignal);
  try {
    const context = invocationContext(stack);
    const coldRuns = await measureColdStarts(functions, stack, context);
    const kitOverhead = await measureKitOverhead(functions, stack, context);
    const warmReads = await measureWarmReads(functions, stack, context);
    const figures = figuresOf(functions, bundles, coldRuns, warmReads);
    const aims = evaluateAims(figures);

    console.log(`\n${legend(SETTINGS)}\n`);
    console.log(functionTable(figures));
    console.log(`\n${kitOverheadText(kitOverhead, SETTINGS.kitOverhead)}`);
    console.log(`\n${aimsLine(aims)}`);

    const resultsFile = join(DIST, "bench-results.json");
    const results = {
      generatedAt: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      settings: SETTINGS,
      functions: figures.map((f) => ({
        ...f,
        coldStartRunsMs: coldRuns.runs.get(f.id)?.map((r) => r.spawnToResponseMs),
      })),
      kitOverhead,
      aims,
    };
    writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`Figures written to ${resultsFile}`);
  } finally {
    killRunningChildren();
    await stack.stop();
    process.removeListener("SIGINT", stopOnSignal).removeListener("SIGTERM", stopOnSignal);
  }
}

async function measureLedger(): Promise<void> {
  const ledger = await measureOnOwnDynamoDb(SETTINGS.ledger);
  console.log(`\n${LEDGER_LEGEND}\n${throughputTable(ledger)}\n${ledgerAimsLine(ledger)}`);
  const ledgerFile = join(DIST, "ledger-results.json");
  writeFileSync(
    ledgerFile,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), settings: SETTINGS.ledger, runs: ledger }, null, 2)}\n`,
  );
  console.log(`Ledger figures written to ${ledgerFile}`);
}

main().catch((error: unknown) => {
  killRunningChildren();
  killLoadChildren();
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
