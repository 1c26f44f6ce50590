import type { Hotspots } from "./load-profile.ts";
import { formatTable } from "./report.ts";

/** What one load scenario measured. Latencies in milliseconds; CPU in cores (1 = one core busy all the time). */
export interface ScenarioFigures {
  readonly id: string;
  /** The request(s) it sends, e.g. `GET /partners?category=friendship-city`. */
  readonly label: string;
  /** When each of its operations is more than one request (POST then approve): how many. */
  readonly requestsPerOperation: number;
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  /** Mean of autocannon's per-second counts. */
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly responses: { readonly ok: number; readonly non2xx: number; readonly serverErrors: number };
  /** Connection errors, timeouts included. */
  readonly errors: number;
  readonly timeouts: number;
  /** Every status code answered, each with its count. */
  readonly statusCodes: Readonly<Record<string, number>>;
  /** For an operation of several requests: each request's status codes, by the request's name. */
  readonly steps?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly usage: Usage;
  /** How long the outboxes took to be relayed and delivered after the run (writes publish events). */
  readonly settleMs: number;
  readonly hotspots?: Hotspots;
}

/** Who used the CPU during a scenario, and how the local cloud's event loop fared. */
export interface Usage {
  readonly cores: number;
  /** The local cloud's process: the gateway, the functions, the stream pollers, the local EventBridge. */
  readonly cloudCores: number;
  readonly eventLoopUtilization: number;
  /** Of the run's wall time, the cloud's main thread (its event loop) on a CPU, and runnable but waiting for one. */
  readonly loopThreadOnCpu: number;
  readonly loopThreadWaiting: number;
  readonly loopDelayP99Ms: number;
  /** DynamoDB Local's JVM. */
  readonly dynamoCores: number;
  /** The benchmark's own process: autocannon. */
  readonly loadGeneratorCores: number;
  /** Everything else on the machine. */
  readonly otherCores: number;
  /** Of all the machine's cores. */
  readonly machineBusy: number;
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;
const ratio = (value: number, bare: number) => (bare > 0 ? `${fixed(value / bare, 2)}×` : "-");

/** The bare route's row, the yardstick of every other; the first row when there is none. */
function bareOf(rows: readonly ScenarioFigures[]): ScenarioFigures | undefined {
  return rows.find((row) => row.id === "bare") ?? rows[0];
}

/** Requests/s, latencies, answers and errors of each scenario, with the throughput and p50 over the bare route's. */
export function loadTable(rows: readonly ScenarioFigures[]): string {
  const bare = bareOf(rows);
  return formatTable(
    [
      "scenario",
      "req/s",
      "× bare",
      "p50 ms",
      "p99 ms",
      "max ms",
      "p50 × bare",
      "2xx",
      "non-2xx",
      "5xx",
      "errors",
      "timeouts",
    ],
    rows.map((row) => [
      row.label,
      fixed(row.requestsPerSecond),
      ratio(row.requestsPerSecond, bare?.requestsPerSecond ?? 0),
      fixed(row.latencyMs.p50, 2),
      fixed(row.latencyMs.p99, 2),
      fixed(row.latencyMs.max, 1),
      ratio(row.latencyMs.p50, bare?.latencyMs.p50 ?? 0),
      String(row.responses.ok),
      String(row.responses.non2xx),
      String(row.responses.serverErrors),
      String(row.errors),
      String(row.timeouts),
    ]),
  );
}

/** Where the CPU went in each scenario, and what a request cost the local cloud and DynamoDB Local. */
export function usageTable(rows: readonly ScenarioFigures[]): string {
  return formatTable(
    [
      "scenario",
      "cloud CPU",
      "loop busy",
      "loop on CPU",
      "loop waits CPU",
      "loop delay p99 ms",
      "DynamoDB Local CPU",
      "autocannon CPU",
      "others CPU",
      "machine busy",
      "cloud CPU ms/req",
      "DynamoDB CPU ms/req",
      "settle ms",
    ],
    rows.map((row) => [
      row.label,
      percent(row.usage.cloudCores),
      percent(row.usage.eventLoopUtilization),
      percent(row.usage.loopThreadOnCpu),
      percent(row.usage.loopThreadWaiting),
      fixed(row.usage.loopDelayP99Ms, 1),
      percent(row.usage.dynamoCores),
      percent(row.usage.loadGeneratorCores),
      percent(row.usage.otherCores),
      `${percent(row.usage.machineBusy)} of ${row.usage.cores}`,
      fixed(cpuPerRequest(row).cloud, 2),
      fixed(cpuPerRequest(row).dynamo, 2),
      fixed(row.settleMs, 0),
    ]),
  );
}

/** A process at or above this share of one core, or the event loop busy this share of the time, is saturated. */
export const SATURATED = 0.9;
/** The event loop's thread waiting this share of the time for a CPU is starved by the machine, not saturated. */
export const STARVED = 0.15;

/** CPU milliseconds a request cost each party, from its cores over the run. */
export function cpuPerRequest(row: ScenarioFigures): { cloud: number; dynamo: number; loadGenerator: number } {
  const ms = (cores: number) => (row.requests > 0 ? (cores * row.seconds * 1000) / row.requests : Number.NaN);
  return {
    cloud: ms(row.usage.cloudCores),
    dynamo: ms(row.usage.dynamoCores),
    loadGenerator: ms(row.usage.loadGeneratorCores),
  };
}

/**
 * What the measured CPU cost per request allows, whatever else ran on the machine: the cloud's functions all run
 * on its one event loop, so it serves at most 1000 / (its CPU ms a request) requests a second; the machine at
 * most its cores' worth over everything a request costs (cloud, DynamoDB Local and the load generator).
 */
export function capacityOf(row: ScenarioFigures): { cloudLoop: number; machine: number; dynamoShare: number } {
  const cost = cpuPerRequest(row);
  const total = cost.cloud + cost.dynamo + cost.loadGenerator;
  return {
    cloudLoop: cost.cloud > 0 ? 1000 / cost.cloud : Number.POSITIVE_INFINITY,
    machine: total > 0 ? (row.usage.cores * 1000) / total : Number.POSITIVE_INFINITY,
    dynamoShare: total > 0 ? cost.dynamo / total : 0,
  };
}

/**
 * What limited the scenario's throughput, from what was measured while it ran. The local cloud's functions all
 * run on its one event loop, so a loop busy nearly all the time is the limit, unless its thread spent a good part
 * of that time waiting for a CPU (the scheduler's run queue: the machine's cores were taken). Otherwise the
 * first saturated process, then the machine; with nothing saturated, the connections' round trips bound it. Then
 * what the CPU each request cost says, which holds however busy the machine was: who costs the most, and the
 * ceilings it sets.
 */
export function bottleneckOf(row: ScenarioFigures): string {
  const u = row.usage;
  const shares =
    `cloud ${percent(u.cloudCores)} of a core, DynamoDB Local ${percent(u.dynamoCores)}, ` +
    `autocannon ${percent(u.loadGeneratorCores)}, other processes ${percent(u.otherCores)}`;
  const machine = `the machine's ${u.cores} cores ${percent(u.machineBusy)} busy`;
  const cost = cpuPerRequest(row);
  const capacity = capacityOf(row);
  const costs =
    `CPU a request: cloud ${fixed(cost.cloud, 2)} ms, DynamoDB Local ${fixed(cost.dynamo, 2)} ms ` +
    `(${percent(capacity.dynamoShare)} of it), autocannon ${fixed(cost.loadGenerator, 2)} ms: ceilings ` +
    `${fixed(capacity.cloudLoop, 0)} req/s on the cloud's one loop, ${fixed(capacity.machine, 0)} req/s on ` +
    `${u.cores} cores to themselves`;
  const verdict = (() => {
    if (u.eventLoopUtilization >= SATURATED) {
      if (u.loopThreadWaiting >= STARVED) {
        return (
          `the local cloud's event loop, busy ${percent(u.eventLoopUtilization)} of the time but on a CPU only ` +
          `${percent(u.loopThreadOnCpu)} and waiting for one ${percent(u.loopThreadWaiting)}: starved, ${machine} ` +
          `(${shares})`
        );
      }
      return (
        `the local cloud's Node event loop, saturated: busy ${percent(u.eventLoopUtilization)} of the time ` +
        `(${percent(u.cloudCores)} of a core, timers late by ${fixed(u.loopDelayP99Ms)} ms at p99); the gateway, ` +
        `the JWT check, every function and the AWS SDK share that one thread (${machine}; ${shares})`
      );
    }
    if (u.dynamoCores >= SATURATED) return `DynamoDB Local's JVM at ${percent(u.dynamoCores)} of a core (${shares})`;
    if (u.loadGeneratorCores >= SATURATED) {
      return `the load generator (autocannon) at ${percent(u.loadGeneratorCores)} of a core (${shares})`;
    }
    if (u.machineBusy >= SATURATED) return `${machine}: no one process saturated (${shares})`;
    const bound = row.latencyMs.mean > 0 ? (row.connections * 1000) / row.latencyMs.mean : 0;
    return (
      `nothing saturated (event loop ${percent(u.eventLoopUtilization)}, ${machine}; ${shares}): the ` +
      `${row.connections} connections wait on round trips, ${row.connections} / ${fixed(row.latencyMs.mean, 2)} ms ` +
      `≈ ${fixed(bound, 0)} req/s`
    );
  })();
  return `${verdict}. ${costs}`;
}

export interface LoadVerdict {
  readonly ok: boolean;
  readonly failures: readonly string[];
}

/** The run fails on any connection error or timeout, any 5xx, and any other non-2xx answer. */
export function loadVerdict(rows: readonly ScenarioFigures[]): LoadVerdict {
  const failures: string[] = [];
  for (const row of rows) {
    const problems = [
      row.errors > 0 && `${row.errors} errors`,
      row.timeouts > 0 && `${row.timeouts} timeouts`,
      row.responses.serverErrors > 0 && `${row.responses.serverErrors} × 5xx`,
      row.responses.non2xx - row.responses.serverErrors > 0 &&
        `${row.responses.non2xx - row.responses.serverErrors} other non-2xx`,
    ].filter((problem): problem is string => typeof problem === "string");
    if (problems.length === 0) continue;
    const codes = Object.entries(row.statusCodes)
      .filter(([code]) => !code.startsWith("2"))
      .map(([code, count]) => `${count} × ${code}`)
      .join(", ");
    failures.push(`${row.label}: ${problems.join(", ")}${codes ? ` (${codes})` : ""}`);
  }
  return { ok: failures.length === 0, failures };
}

export function verdictLine(verdict: LoadVerdict): string {
  return verdict.ok
    ? "Load: every scenario answered 2xx only: 0 errors, 0 timeouts, 0 × 5xx"
    : `Load FAILED: ${verdict.failures.join("; ")}`;
}

/** What each column means, with this run's settings. */
export function loadLegend(settings: { seconds: number; warmupSeconds: number; connections: number }): string {
  return [
    `Load: autocannon, ${settings.connections} connections, keep-alive, no pipelining, ${settings.seconds} s a ` +
      `scenario after ${settings.warmupSeconds} s of warm-up, against the local cloud in a process of its own ` +
      "(as `npm start` runs it, its log lines to infra/dist/bench/load-cloud.log) and DynamoDB Local",
    "req/s: mean of the per-second counts; latency: every response's, from autocannon's own timer; a POST + " +
      "approve operation is two requests",
    "× bare: over the bare route on the same gateway (routing, JWT check, payload-2.0 event, invocation of a " +
      "handler that only answers): what the service code costs",
    "CPU: share of one core over the run; loop busy: the cloud's event-loop utilization; settle: time after the " +
      "run until every outbox was relayed and every event delivered",
  ].join("\n");
}

/** The cloud with no request: its stream pollers poll every table's stream every 100 ms, idle or not. */
export function idleLine(u: Usage, seconds: number): string {
  return (
    `Idle, no request for ${seconds} s: cloud ${percent(u.cloudCores)} of a core (loop busy ` +
    `${percent(u.eventLoopUtilization)}), DynamoDB Local ${percent(u.dynamoCores)}, other processes ` +
    `${percent(u.otherCores)}: the stream pollers' polling, part of every scenario's CPU above`
  );
}

export function hotspotsText(row: ScenarioFigures): string | undefined {
  const h = row.hotspots;
  if (!h) return undefined;
  const busy = h.profiledMs - h.idleMs;
  const line = (spot: { name: string; share: number }) => `    ${percent(spot.share).padStart(4)}  ${spot.name}`;
  return [
    `  ${row.label}: the cloud's main thread busy ${fixed(busy / 1000)} s of ${fixed(h.profiledMs / 1000)} s ` +
      "profiled; self time by origin, then by function:",
    ...h.origins.slice(0, 8).map(line),
    ...h.functions.slice(0, 8).map(line),
  ].join("\n");
}
