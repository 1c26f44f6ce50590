import { describe, expect, it } from "vitest";
import { loadSettingsFrom } from "./load-bench.ts";
import {
  bottleneckOf,
  capacityOf,
  idleLine,
  loadTable,
  loadVerdict,
  type ScenarioFigures,
  type Usage,
  usageTable,
} from "./load-report.ts";

const usage = (changes: Partial<Usage> = {}): Usage => ({
  cores: 2,
  cloudCores: 0.5,
  eventLoopUtilization: 0.5,
  loopThreadOnCpu: 0.45,
  loopThreadWaiting: 0.02,
  loopDelayP99Ms: 11,
  dynamoCores: 0.3,
  loadGeneratorCores: 0.1,
  otherCores: 0,
  machineBusy: 0.45,
  ...changes,
});

const row = (id: string, changes: Partial<ScenarioFigures> = {}): ScenarioFigures => ({
  id,
  label: `GET /${id}`,
  requestsPerOperation: 1,
  connections: 10,
  seconds: 10,
  requests: 10_000,
  requestsPerSecond: 1000,
  latencyMs: { p50: 2, p99: 8, max: 20, mean: 2.5 },
  responses: { ok: 10_000, non2xx: 0, serverErrors: 0 },
  errors: 0,
  timeouts: 0,
  statusCodes: { "200": 10_000 },
  usage: usage(),
  settleMs: 5,
  ...changes,
});

describe("the load table", () => {
  it("sets each scenario beside the bare route", () => {
    const table = loadTable([
      row("bare"),
      row("partners", { requestsPerSecond: 250, latencyMs: { p50: 8, p99: 30, max: 41.26, mean: 9 } }),
    ]).split("\n");
    expect(table[0]).toMatch(/^scenario\s+req\/s\s+× bare\s+p50 ms\s+p99 ms\s+max ms\s+p50 × bare\s+2xx\s+non-2xx/);
    expect(table[2]).toMatch(
      /^GET \/bare\s+1000\.0\s+1\.00×\s+2\.00\s+8\.00\s+20\.0\s+1\.00×\s+10000\s+0\s+0\s+0\s+0$/,
    );
    expect(table[3]).toMatch(/^GET \/partners\s+250\.0\s+0\.25×\s+8\.00\s+30\.00\s+41\.3\s+4\.00×/);
  });

  it("shows what a request cost in CPU", () => {
    const table = usageTable([row("bare")]).split("\n");
    // 0.5 cores over 10 s for 10,000 requests: 0.5 ms each; DynamoDB Local 0.3 ms.
    expect(table[2]).toMatch(
      /^GET \/bare\s+50%\s+50%\s+45%\s+2%\s+11\.0\s+30%\s+10%\s+0%\s+45% of 2\s+0\.50\s+0\.30\s+5$/,
    );
  });
});

describe("the idle line", () => {
  it("says what the cloud costs with no request", () => {
    expect(
      idleLine(usage({ cloudCores: 0.12, eventLoopUtilization: 0.08, dynamoCores: 0.19, otherCores: 0.4 }), 5),
    ).toBe(
      "Idle, no request for 5 s: cloud 12% of a core (loop busy 8%), DynamoDB Local 19%, other processes 40%: " +
        "the stream pollers' polling, part of every scenario's CPU above",
    );
  });
});

describe("the verdict", () => {
  it("passes when every answer was 2xx", () => {
    expect(loadVerdict([row("bare"), row("partners")])).toEqual({ ok: true, failures: [] });
  });

  it("fails on errors, timeouts, 5xx and any other non-2xx, naming the codes", () => {
    const verdict = loadVerdict([
      row("bare"),
      row("write", {
        errors: 2,
        timeouts: 1,
        responses: { ok: 90, non2xx: 4, serverErrors: 1 },
        statusCodes: { "200": 90, "409": 3, "503": 1 },
      }),
    ]);
    expect(verdict.ok).toBe(false);
    expect(verdict.failures).toEqual(["GET /write: 2 errors, 1 timeouts, 1 × 5xx, 3 other non-2xx (3 × 409, 1 × 503)"]);
  });
});

describe("the bottleneck", () => {
  it("is the cloud's event loop when it is busy nearly all the time on a CPU of its own", () => {
    const text = bottleneckOf(row("bare", { usage: usage({ eventLoopUtilization: 0.97, cloudCores: 1.02 }) }));
    expect(text).toMatch(/^the local cloud's Node event loop, saturated: busy 97% of the time \(102% of a core/);
  });

  it("says the loop was starved when its thread waited long for a CPU", () => {
    const starved = usage({
      eventLoopUtilization: 0.95,
      loopThreadOnCpu: 0.4,
      loopThreadWaiting: 0.5,
      machineBusy: 0.99,
    });
    expect(bottleneckOf(row("bare", { usage: starved }))).toMatch(
      /^the local cloud's event loop, busy 95% of the time but on a CPU only 40% and waiting for one 50%: starved/,
    );
  });

  it("is DynamoDB Local's JVM when it is saturated and the loop is not", () => {
    expect(bottleneckOf(row("write", { usage: usage({ dynamoCores: 0.96 }) }))).toMatch(
      /^DynamoDB Local's JVM at 96% of a core/,
    );
  });

  it("is the connections' round trips when nothing is saturated", () => {
    expect(bottleneckOf(row("bare"))).toMatch(/^nothing saturated .* 10 \/ 2\.50 ms ≈ 4000 req\/s/);
  });

  it("sets ceilings from the CPU a request costs", () => {
    // Per request: cloud 0.5 ms, DynamoDB Local 0.3 ms, autocannon 0.1 ms.
    const capacity = capacityOf(row("bare"));
    expect(capacity.cloudLoop).toBeCloseTo(2000);
    expect(capacity.machine).toBeCloseTo(2000 / 0.9);
    expect(capacity.dynamoShare).toBeCloseTo(1 / 3);
    expect(bottleneckOf(row("bare"))).toMatch(/ceilings 2000 req\/s on the cloud's one loop, 2222 req\/s on 2 cores/);
  });
});

describe("the load settings", () => {
  it("default to 30 s, 3 s of warm-up, 10 connections and every scenario", () => {
    expect(loadSettingsFrom({})).toEqual({
      seconds: 30,
      warmupSeconds: 3,
      connections: 10,
      scenarios: ["bare", "partners", "visits-list", "visits-propose-approve"],
      profile: false,
    });
  });

  it("always keep the bare route, and refuse what they do not know", () => {
    const settings = loadSettingsFrom({
      BENCH_LOAD_SECONDS: "5",
      BENCH_LOAD_SCENARIOS: "visits-list",
      BENCH_LOAD_PROFILE: "1",
    });
    expect(settings).toMatchObject({ seconds: 5, scenarios: ["bare", "visits-list"], profile: true });
    expect(() => loadSettingsFrom({ BENCH_LOAD_SCENARIOS: "nope" })).toThrow(/no scenario nope/);
    expect(() => loadSettingsFrom({ BENCH_LOAD_SECONDS: "0" })).toThrow(/positive/);
  });
});
