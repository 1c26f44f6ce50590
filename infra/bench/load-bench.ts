import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { mintToken } from "@cdp/local-cloud/dev-issuer";
import autocannon from "autocannon";
import { BARE_ROUTE_PATH } from "./bench-manifest.ts";
import type { CloudCommand, CloudReply, CloudRequest, CloudWindow } from "./load-protocol.ts";
import {
  bottleneckOf,
  hotspotsText,
  idleLine,
  type LoadVerdict,
  loadLegend,
  loadTable,
  loadVerdict,
  type ScenarioFigures,
  type Usage,
  usageTable,
  verdictLine,
} from "./load-report.ts";
import {
  LISTED_VISITS,
  PARTNER_CATEGORY,
  PROPOSED_VISITS_FIRST_DAY,
  seededPartnersOf,
  visitBody,
} from "./load-scenarios.ts";
import { CLOCK_TICKS_PER_SECOND, childrenNamed, readMachineStat, readProcessStat, readSchedStat } from "./proc-stat.ts";
import { percentile } from "./stats.ts";

/**
 * The load part of `pnpm bench` (alone: `pnpm --filter @cdp/infra bench:load`): autocannon against the local API,
 * each scenario beside a bare route of the same gateway, with who used the CPU meanwhile and what limited it.
 */

export const SCENARIO_IDS = ["bare", "partners", "visits-list", "visits-propose-approve"] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface LoadSettings {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  /** The scenarios to run, in this order; the bare route always runs first. */
  readonly scenarios: readonly ScenarioId[];
  /** Profile the cloud's main thread during each scenario (slower: its figures are not the headline ones). */
  readonly profile: boolean;
}

const positive = (name: string, value: string | undefined, fallback: number) => {
  if (value === undefined || value === "") return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number, not ${value}`);
  return number;
};

/**
 * From the environment: `BENCH_LOAD_SECONDS` (30), `BENCH_LOAD_WARMUP_SECONDS` (3), `BENCH_LOAD_CONNECTIONS` (10),
 * `BENCH_LOAD_SCENARIOS` (comma-separated ids, all by default; the bare route is always measured) and
 * `BENCH_LOAD_PROFILE=1`.
 */
export function loadSettingsFrom(env: Readonly<Record<string, string | undefined>>): LoadSettings {
  const named = (env.BENCH_LOAD_SCENARIOS ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
  const unknown = named.filter((id) => !(SCENARIO_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) {
    throw new Error(`BENCH_LOAD_SCENARIOS: no scenario ${unknown.join(", ")} (known: ${SCENARIO_IDS.join(", ")})`);
  }
  const wanted = named.length === 0 ? SCENARIO_IDS : named;
  return {
    seconds: positive("BENCH_LOAD_SECONDS", env.BENCH_LOAD_SECONDS, 30),
    warmupSeconds: positive("BENCH_LOAD_WARMUP_SECONDS", env.BENCH_LOAD_WARMUP_SECONDS, 3),
    connections: Math.round(positive("BENCH_LOAD_CONNECTIONS", env.BENCH_LOAD_CONNECTIONS, 10)),
    scenarios: SCENARIO_IDS.filter((id) => id === "bare" || wanted.includes(id)),
    profile: env.BENCH_LOAD_PROFILE === "1" || env.BENCH_LOAD_PROFILE === "true",
  };
}

const DIST = join(import.meta.dirname, "..", "dist", "bench");
const CLOUD_LOG = join(DIST, "load-cloud.log");
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** The local cloud's process, driven over IPC (`load-protocol.ts`). */
class CloudProcess {
  private nextId = 0;
  private readonly waiting = new Map<number, (reply: CloudReply) => void>();
  private exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly api: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        for (const answer of this.waiting.values()) {
          answer({ type: "failed", error: `exited (${signal ?? code}); see ${CLOUD_LOG}` });
        }
        this.waiting.clear();
        resolve();
      }),
    );
    child.on("message", (reply: CloudReply) => {
      if (reply.type === "ready" || reply.id === undefined) return;
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  static async start(keyFile: string): Promise<CloudProcess> {
    mkdirSync(DIST, { recursive: true });
    const log = openSync(CLOUD_LOG, "w");
    const child = spawn(process.execPath, ["--import", TSX_LOADER, join(import.meta.dirname, "load-cloud.ts")], {
      env: { ...process.env, LOCAL_ISSUER_KEY_FILE: keyFile },
      stdio: ["ignore", log, log, "ipc"],
    });
    closeSync(log);
    running.add(child);
    child.once("exit", () => running.delete(child));
    const api = await new Promise<string>((resolve, reject) => {
      child.on("message", (reply: CloudReply) => {
        if (reply.type === "ready") resolve(reply.api);
        if (reply.type === "failed") reject(new Error(`the local cloud failed to start: ${reply.error}`));
      });
      child.once("exit", (code, signal) =>
        reject(new Error(`the local cloud exited (${signal ?? code}) before it was ready; see ${CLOUD_LOG}`)),
      );
      child.once("error", reject);
    });
    return new CloudProcess(child, api);
  }

  async request<Type extends CloudReply["type"]>(
    command: CloudCommand,
    expected: Type,
  ): Promise<Extract<CloudReply, { type: Type }>> {
    const id = this.nextId++;
    const reply = await new Promise<CloudReply>((resolve) => {
      this.waiting.set(id, resolve);
      const request: CloudRequest = { ...command, id };
      this.child.send(request);
    });
    if (reply.type === "failed") throw new Error(`the local cloud: ${reply.error}`);
    if (reply.type !== expected) throw new Error(`the local cloud answered ${reply.type}, not ${expected}`);
    return reply as Extract<CloudReply, { type: Type }>;
  }

  /** SIGTERM: the cloud drains (up to 15 s) and stops DynamoDB Local; SIGKILL after 30 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 30_000);
    this.child.kill("SIGTERM");
    await this.exited;
    clearTimeout(timer);
  }
}

/** Every cloud process still running, for a Ctrl-C. */
const running = new Set<ChildProcess>();
export function killLoadChildren(): void {
  for (const child of running) child.kill("SIGTERM");
}

interface CpuSnapshot {
  readonly at: number;
  readonly cloudTicks: number;
  /** The cloud's main thread: nanoseconds on a CPU and waiting for one. */
  readonly cloudLoop: { readonly runNs: number; readonly waitNs: number };
  readonly dynamoTicks: number;
  readonly selfMicros: number;
  readonly machine: { readonly busyTicks: number; readonly totalTicks: number };
}

function cpuSnapshot(cloudPid: number, dynamoPid: number | undefined): CpuSnapshot {
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    cloudTicks: readProcessStat(cloudPid)?.cpuTicks ?? 0,
    cloudLoop: readSchedStat(cloudPid) ?? { runNs: 0, waitNs: 0 },
    dynamoTicks: dynamoPid === undefined ? 0 : (readProcessStat(dynamoPid)?.cpuTicks ?? 0),
    selfMicros: self.user + self.system,
    machine: readMachineStat(),
  };
}

function usageBetween(before: CpuSnapshot, after: CpuSnapshot, window: CloudWindow): Usage {
  const seconds = (after.at - before.at) / 1000;
  const cores = cpus().length;
  const ticks = (from: number, to: number) => (to - from) / CLOCK_TICKS_PER_SECOND / seconds;
  const cloudCores = ticks(before.cloudTicks, after.cloudTicks);
  const dynamoCores = ticks(before.dynamoTicks, after.dynamoTicks);
  const loadGeneratorCores = (after.selfMicros - before.selfMicros) / 1e6 / seconds;
  const busy = after.machine.busyTicks - before.machine.busyTicks;
  const total = after.machine.totalTicks - before.machine.totalTicks;
  const machineBusy = total > 0 ? busy / total : 0;
  return {
    cores,
    cloudCores,
    eventLoopUtilization: window.eventLoopUtilization,
    loopThreadOnCpu: (after.cloudLoop.runNs - before.cloudLoop.runNs) / 1e9 / seconds,
    loopThreadWaiting: (after.cloudLoop.waitNs - before.cloudLoop.waitNs) / 1e9 / seconds,
    loopDelayP99Ms: window.loopDelayMs.p99,
    dynamoCores,
    loadGeneratorCores,
    otherCores: Math.max(0, machineBusy * cores - cloudCores - dynamoCores - loadGeneratorCores),
    machineBusy,
  };
}

interface Tokens {
  readonly viewer: string;
  readonly protocol: string;
}

interface Scenario {
  readonly id: ScenarioId;
  readonly label: string;
  readonly requestsPerOperation: number;
  /** Run once before its warm-up: the data it reads. */
  readonly prepare?: (api: string, tokens: Tokens) => Promise<void>;
  /** Then one request alone, to say what an answer holds (and fail when it holds nothing). */
  readonly describe?: (api: string, tokens: Tokens) => Promise<string>;
  /** A fresh request sequence for each autocannon run, with its per-step status counts. */
  readonly requests: (tokens: Tokens) => { requests: autocannon.Request[]; steps?: StepCounts };
}

type StepCounts = Record<string, Record<string, number>>;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const count = (steps: StepCounts, step: string, status: number) => {
  steps[step] ??= {};
  const codes = steps[step];
  codes[status] = (codes[status] ?? 0) + 1;
};
const headerOf = (headers: autocannon.Request["headers"], name: string) =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

/** One GET alone: how many items its page holds, and its size. */
async function pageOf(api: string, path: string, token: string, least: number): Promise<string> {
  const response = await fetch(`${api}${path}`, { headers: bearer(token) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  const { items } = JSON.parse(text) as { items: unknown[] };
  if (items.length < least) throw new Error(`GET ${path} lists ${items.length} items, not at least ${least}`);
  return `${items.length} items, ${(Buffer.byteLength(text) / 1024).toFixed(1)} KB`;
}

/** Proposes visits one after the other through the API and approves each: the listing scenario's data. */
async function proposeAndApprove(api: string, token: string, bodies: readonly unknown[]): Promise<void> {
  for (const body of bodies) {
    const headers = { ...bearer(token), "content-type": "application/json" };
    const proposed = await fetch(`${api}/visits`, { method: "POST", headers, body: JSON.stringify(body) });
    if (proposed.status !== 201) throw new Error(`POST /visits answered ${proposed.status}: ${await proposed.text()}`);
    const { id } = (await proposed.json()) as { id: string };
    const approved = await fetch(`${api}/visits/${id}/approve`, { method: "POST", headers: bearer(token) });
    if (approved.status !== 200) {
      throw new Error(`POST /visits/${id}/approve answered ${approved.status}: ${await approved.text()}`);
    }
  }
}

function scenarios(): Scenario[] {
  const partners = seededPartnersOf(PARTNER_CATEGORY);
  if (partners.length === 0) throw new Error(`no seeded partner in the category ${PARTNER_CATEGORY}`);
  const listPath = `/visits?from=${LISTED_VISITS.from}&to=${LISTED_VISITS.to}`;
  /** Shared by every run of the write scenario, warm-up included: each visit gets a day of its own. */
  let nextVisit = 0;
  return [
    {
      id: "bare",
      label: `GET ${BARE_ROUTE_PATH} (bare)`,
      requestsPerOperation: 1,
      requests: (tokens) => ({ requests: [{ method: "GET", path: BARE_ROUTE_PATH, headers: bearer(tokens.viewer) }] }),
    },
    {
      id: "partners",
      label: `GET /partners?category=${PARTNER_CATEGORY}`,
      requestsPerOperation: 1,
      describe: (api, tokens) =>
        pageOf(api, `/partners?category=${PARTNER_CATEGORY}`, tokens.viewer, Math.min(partners.length, 20)),
      requests: (tokens) => ({
        requests: [{ method: "GET", path: `/partners?category=${PARTNER_CATEGORY}`, headers: bearer(tokens.viewer) }],
      }),
    },
    {
      id: "visits-list",
      label: `GET ${listPath}`,
      requestsPerOperation: 1,
      prepare: (api, tokens) =>
        proposeAndApprove(
          api,
          tokens.protocol,
          Array.from({ length: LISTED_VISITS.count }, (_, i) => visitBody(i, LISTED_VISITS.firstDay, partners)),
        ),
      // The default page: 20 of the visits of April.
      describe: (api, tokens) => pageOf(api, listPath, tokens.viewer, 20),
      requests: (tokens) => ({ requests: [{ method: "GET", path: listPath, headers: bearer(tokens.viewer) }] }),
    },
    {
      id: "visits-propose-approve",
      label: "POST /visits, then POST /visits/{id}/approve",
      requestsPerOperation: 2,
      requests: (tokens) => {
        const steps: StepCounts = {};
        type Context = { visit?: { id: string; etag: string } };
        const propose: autocannon.Request = {
          method: "POST",
          path: "/visits",
          headers: { ...bearer(tokens.protocol), "content-type": "application/json" },
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify(visitBody(nextVisit++, PROPOSED_VISITS_FIRST_DAY, partners)),
          }),
          onResponse: (status, body, context: Context, headers) => {
            count(steps, "POST /visits", status);
            const etag = headerOf(headers, "etag");
            context.visit =
              status === 201 && typeof etag === "string"
                ? { id: (JSON.parse(body) as { id: string }).id, etag }
                : undefined;
          },
        };
        const approve: autocannon.Request = {
          method: "POST",
          headers: bearer(tokens.protocol),
          // No visit to approve (the proposal failed, and was counted): start the sequence again.
          setupRequest: (request, context: Context) =>
            context.visit
              ? {
                  ...request,
                  path: `/visits/${context.visit.id}/approve`,
                  headers: { ...request.headers, "if-match": context.visit.etag },
                }
              : (undefined as unknown as autocannon.Request),
          onResponse: (status) => count(steps, "POST /visits/{id}/approve", status),
        };
        return { requests: [propose, approve], steps };
      },
    },
  ];
}

interface CannonRun {
  readonly result: autocannon.Result;
  /** Every response's latency, in ms (autocannon's own histogram keeps whole milliseconds, 2xx only). */
  readonly latencies: number[];
  readonly steps?: StepCounts;
}

function cannon(api: string, scenario: Scenario, tokens: Tokens, seconds: number, connections: number) {
  const { requests, steps } = scenario.requests(tokens);
  const latencies: number[] = [];
  return new Promise<CannonRun>((resolve, reject) => {
    const instance = autocannon(
      { url: api, connections, duration: seconds, pipelining: 1, timeout: 10, requests, title: scenario.id },
      (error: unknown, result) => (error ? reject(error) : resolve({ result, latencies, ...(steps && { steps }) })),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

function problemsOf({ result }: CannonRun): string | undefined {
  if (result.errors === 0 && result.non2xx === 0) return undefined;
  const codes = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith("2"))
    .map(([code, stats]) => `${stats.count} × ${code}`);
  return `${result.errors} errors (${result.timeouts} timeouts), ${result.non2xx} non-2xx ${codes.join(", ")}`;
}

async function runScenario(
  cloud: CloudProcess,
  dynamoPid: number | undefined,
  scenario: Scenario,
  tokens: Tokens,
  settings: LoadSettings,
): Promise<ScenarioFigures> {
  await scenario.prepare?.(cloud.api, tokens);
  const answer = await scenario.describe?.(cloud.api, tokens);
  if (answer) console.log(`Load: ${scenario.label} answers ${answer}`);
  // Warm-up: each function's module is loaded on its first call (a cold start), then the JIT settles.
  const warm = await cannon(cloud.api, scenario, tokens, settings.warmupSeconds, settings.connections);
  const warmProblems = problemsOf(warm);
  if (warmProblems) throw new Error(`${scenario.label}, warm-up: ${warmProblems}`);
  await cloud.request({ type: "settle" }, "settled");

  const profileFile = join(DIST, `load-${scenario.id}.cpuprofile`);
  await cloud.request({ type: "mark", profile: settings.profile }, "window");
  const before = cpuSnapshot(cloud.pid, dynamoPid);
  const run = await cannon(cloud.api, scenario, tokens, settings.seconds, settings.connections);
  const after = cpuSnapshot(cloud.pid, dynamoPid);
  const { window, hotspots } = await cloud.request({ type: "mark", profileFile }, "window");
  const { ms: settleMs } = await cloud.request({ type: "settle" }, "settled");

  const { result, latencies } = run;
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
  );
  const sum = latencies.reduce((total, value) => total + value, 0);
  const latency = (p: number) => (latencies.length > 0 ? percentile(latencies, p) : Number.NaN);
  return {
    id: scenario.id,
    label: scenario.label,
    requestsPerOperation: scenario.requestsPerOperation,
    connections: settings.connections,
    seconds: result.duration,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: {
      p50: latency(50),
      p99: latency(99),
      max: latency(100),
      mean: latencies.length > 0 ? sum / latencies.length : Number.NaN,
    },
    responses: { ok: result["2xx"], non2xx: result.non2xx, serverErrors: result["5xx"] },
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    ...(run.steps && { steps: run.steps }),
    usage: usageBetween(before, after, window),
    settleMs,
    ...(hotspots && { hotspots }),
  };
}

export interface LoadRun {
  readonly settings: LoadSettings;
  /** The cloud with no request at all, before the scenarios: what its background work costs. */
  readonly idle: Usage;
  readonly rows: readonly ScenarioFigures[];
  readonly verdict: LoadVerdict;
}

const IDLE_SECONDS = 5;

/** A window with no request: the stream pollers' polling (every table every 100 ms) and the scheduler. */
async function measureIdle(cloud: CloudProcess, dynamoPid: number | undefined): Promise<Usage> {
  await cloud.request({ type: "settle" }, "settled");
  await cloud.request({ type: "mark" }, "window");
  const before = cpuSnapshot(cloud.pid, dynamoPid);
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const after = cpuSnapshot(cloud.pid, dynamoPid);
  const { window } = await cloud.request({ type: "mark" }, "window");
  return usageBetween(before, after, window);
}

/** Starts the local cloud, runs every scenario in turn, stops it; prints as it goes and writes the figures. */
export async function measureLoad(settings: LoadSettings): Promise<LoadRun> {
  const keyDir = mkdtempSync(join(tmpdir(), "cdp-bench-load-"));
  const keyFile = join(keyDir, "dev-issuer-key.json");
  console.log(`Load: starting the local cloud (its output: ${CLOUD_LOG})`);
  const started = performance.now();
  const cloud = await CloudProcess.start(keyFile);
  const rows: ScenarioFigures[] = [];
  let idle: Usage | undefined;
  try {
    const dynamoPid = childrenNamed(cloud.pid, "java")[0];
    if (dynamoPid === undefined) console.warn("Load: DynamoDB Local's JVM not found: its CPU is counted as others'");
    console.log(`Load: local cloud ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${cloud.api}`);
    idle = await measureIdle(cloud, dynamoPid);
    const tokens: Tokens = {
      viewer: await mintToken(keyFile, ["viewer"]),
      protocol: await mintToken(keyFile, ["protocol"]),
    };
    for (const scenario of scenarios().filter((s) => settings.scenarios.includes(s.id))) {
      const row = await runScenario(cloud, dynamoPid, scenario, tokens, settings);
      rows.push(row);
      console.log(
        `Load: ${row.label}: ${row.requestsPerSecond.toFixed(1)} req/s, p50 ${row.latencyMs.p50.toFixed(2)} ms, ` +
          `${row.responses.non2xx} non-2xx, ${row.errors} errors`,
      );
    }
  } finally {
    await cloud.stop();
    rmSync(keyDir, { recursive: true, force: true });
  }
  const verdict = loadVerdict(rows);
  if (!idle) throw new Error("the idle window was not measured");
  return { settings, idle, rows, verdict };
}

/** The tables, the bottleneck of each scenario and the verdict, as `pnpm bench` prints them. */
export function loadReport(run: LoadRun): string {
  const steps = run.rows.flatMap((row) =>
    Object.entries(row.steps ?? {}).map(
      ([step, codes]) =>
        `  ${step}: ${Object.entries(codes)
          .map(([code, n]) => `${n} × ${code}`)
          .join(", ")}`,
    ),
  );
  const hotspots = run.rows.map(hotspotsText).filter((text): text is string => text !== undefined);
  return [
    loadLegend(run.settings),
    "",
    loadTable(run.rows),
    ...(steps.length > 0 ? ["", "Answers of each request of the write scenario:", ...steps] : []),
    "",
    usageTable(run.rows),
    idleLine(run.idle, IDLE_SECONDS),
    "",
    "What limited each scenario's throughput:",
    ...run.rows.map((row) => `  ${row.label}: ${bottleneckOf(row)}`),
    ...(hotspots.length > 0
      ? ["", "Where the cloud's main thread spent its time (BENCH_LOAD_PROFILE):", ...hotspots]
      : []),
    "",
    verdictLine(run.verdict),
  ].join("\n");
}

export function writeLoadResults(run: LoadRun): string {
  const file = join(DIST, "load-results.json");
  const log = statSync(CLOUD_LOG, { throwIfNoEntry: false });
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        ...run,
        rows: run.rows.map((row) => ({ ...row, bottleneck: bottleneckOf(row) })),
        cloudLogBytes: log?.size ?? 0,
      },
      null,
      2,
    )}\n`,
  );
  return file;
}
