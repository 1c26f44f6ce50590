import type { FunctionKind } from "./functions.ts";
import type { Summary } from "./stats.ts";

/** The aims the report holds the figures against (informative: the benchmark never fails on them). */
/**
 * `maxInitRatio` is the issue's "init": Lambda's INIT phase, from the runtime's start until the handler module is
 * loaded (reported by Lambda as Init Duration, apart from the first invocation). The first response is reported
 * beside it, but it adds the first request's own DynamoDB round trips, which differ by route.
 */
export const AIMS = { maxBundleKb: 350, maxInitRatio: 1.5 } as const;

export interface ColdStartFigures {
  /** Spawn of a fresh `node` to the handler's first response. */
  readonly spawnToResponseMs: Summary;
  /** Import start to the first response, inside the process. */
  readonly inProcessMs: Summary;
  readonly importMs: Summary;
  readonly firstInvokeMs: Summary;
  /** From the process's start to the runner's import of the bundle: Node's own boot. */
  readonly nodeStartupMs: Summary;
  /** From the process's start until the handler module is loaded: Lambda's INIT phase. */
  readonly initMs: Summary;
  /** Median of each run's init over the minimal GetItem handler's run just before it. */
  readonly initRatioToMinimal: number;
  /** The same of the fastest runs. */
  readonly fastestInitRatioToMinimal: number;
  /** Median of each run's spawn-to-response over the minimal GetItem handler's run just before it. */
  readonly ratioToMinimal: number;
  /** The same of the fastest runs: steadier when other work loads the machine. */
  readonly fastestRatioToMinimal: number;
}

export interface FunctionFigures {
  readonly id: string;
  readonly kind: FunctionKind;
  /** `installed`: packages installed beside the bundle too (`runtime.nodeModules`). */
  readonly bundle: { readonly bytes: number; readonly gzipBytes: number; readonly installed?: object };
  readonly coldStart: ColdStartFigures;
  /** Per request, warm, in µs: read functions only (writes would grow the data). */
  readonly warmMicroseconds?: Summary;
  /** Why the platform-wide aims do not apply to it: it is held to an aim of its own (the report function). */
  readonly ownAim?: string;
}

export interface KitOverhead {
  readonly bareMicroseconds: Summary;
  readonly kitMicroseconds: Summary;
  /** The kit with LOG_LEVEL=SILENT: without its per-request log line. */
  readonly kitSilentMicroseconds: Summary;
  /** Difference of the medians, kit over bare. */
  readonly overheadMicroseconds: number;
}

export interface Aims {
  readonly largestBundle: { readonly id: string; readonly kb: number; readonly aimKb: number; readonly met: boolean };
  /** Every function over the bundle aim, largest first (the largest alone would hide the others). */
  readonly overBundleAim: readonly { readonly id: string; readonly kb: number }[];
  /** Functions held to an aim of their own instead (not in the figures above). */
  readonly heldToOwnAims: readonly string[];
  readonly worstInitRatio: {
    readonly id: string;
    readonly ratio: number;
    readonly aim: number;
    readonly met: boolean;
    /** The worst ratio of the fastest runs, for judging the median's noise. */
    readonly fastest: { readonly id: string; readonly ratio: number };
  };
  /** Informative: spawn to the first response, the first request's DynamoDB round trips included. */
  readonly worstFirstResponseRatio: { readonly id: string; readonly ratio: number };
}

export const kb = (bytes: number) => bytes / 1024;

/**
 * Reference functions are yardsticks: the aims apply to the platform's own functions, but for those held to an aim
 * of their own (the report function: charting and PDF libraries, its own memory; see its own benchmark).
 */
export function evaluateAims(functions: readonly FunctionFigures[]): Aims {
  const own = functions.filter((f) => f.kind !== "reference" && f.ownAim === undefined);
  if (own.length === 0) throw new Error("no platform functions measured");
  const largest = own.reduce((a, b) => (b.bundle.bytes > a.bundle.bytes ? b : a));
  const worst = (ratio: (f: FunctionFigures) => number) => own.reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
  const slowest = worst((f) => f.coldStart.initRatioToMinimal);
  const slowestFastest = worst((f) => f.coldStart.fastestInitRatioToMinimal);
  const slowestResponse = worst((f) => f.coldStart.ratioToMinimal);
  return {
    largestBundle: {
      id: largest.id,
      kb: kb(largest.bundle.bytes),
      aimKb: AIMS.maxBundleKb,
      met: kb(largest.bundle.bytes) <= AIMS.maxBundleKb,
    },
    overBundleAim: own
      .filter((f) => kb(f.bundle.bytes) > AIMS.maxBundleKb)
      .sort((a, b) => b.bundle.bytes - a.bundle.bytes)
      .map((f) => ({ id: f.id, kb: kb(f.bundle.bytes) })),
    heldToOwnAims: functions.filter((f) => f.kind !== "reference" && f.ownAim !== undefined).map((f) => f.id),
    worstInitRatio: {
      id: slowest.id,
      ratio: slowest.coldStart.initRatioToMinimal,
      aim: AIMS.maxInitRatio,
      met: slowest.coldStart.initRatioToMinimal <= AIMS.maxInitRatio,
      fastest: { id: slowestFastest.id, ratio: slowestFastest.coldStart.fastestInitRatioToMinimal },
    },
    worstFirstResponseRatio: { id: slowestResponse.id, ratio: slowestResponse.coldStart.ratioToMinimal },
  };
}

/** Left-aligns the first column, right-aligns the figures. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

export function functionTable(functions: readonly FunctionFigures[]): string {
  return formatTable(
    [
      "function",
      "kind",
      "size KB",
      "gzip KB",
      "init ms",
      "init × min",
      "cold ms",
      "cold min",
      "in-proc ms",
      "cold × min",
      "warm p50 µs",
      "warm p99 µs",
    ],
    functions.map((f) => [
      f.id,
      f.kind,
      `${fixed(kb(f.bundle.bytes))}${f.bundle.installed ? "+" : ""}`,
      fixed(kb(f.bundle.gzipBytes)),
      fixed(f.coldStart.initMs.median),
      `${fixed(f.coldStart.initRatioToMinimal, 2)}×`,
      fixed(f.coldStart.spawnToResponseMs.median),
      fixed(f.coldStart.spawnToResponseMs.min),
      fixed(f.coldStart.inProcessMs.median),
      `${fixed(f.coldStart.ratioToMinimal, 2)}×`,
      f.warmMicroseconds ? fixed(f.warmMicroseconds.median, 0) : "-",
      f.warmMicroseconds ? fixed(f.warmMicroseconds.p99, 0) : "-",
    ]),
  );
}

export function kitOverheadText(overhead: KitOverhead, loop: { warmup: number; count: number }): string {
  const row = (name: string, s: Summary) =>
    [name, fixed(s.median, 1), fixed(s.p90, 1), fixed(s.p99, 1), fixed(s.mean, 1)] as const;
  const logging = overhead.kitMicroseconds.median - overhead.kitSilentMicroseconds.median;
  return [
    `Kit overhead per request: warm, ${loop.count} requests after ${loop.warmup} warm-up, the same API Gateway event`,
    formatTable(
      ["handler (no I/O)", "p50 µs", "p90 µs", "p99 µs", "mean µs"],
      [
        row("bare handler", overhead.bareMicroseconds),
        row("kit httpHandler, constant", overhead.kitMicroseconds),
        row("  the same, LOG_LEVEL=SILENT", overhead.kitSilentMicroseconds),
      ],
    ),
    `kit overhead: ${fixed(overhead.overheadMicroseconds)} µs per request (difference of the medians), ` +
      `of which its log line ${fixed(logging)} µs`,
  ].join("\n");
}

/** What the columns mean, with the settings of this run. */
export function legend(settings: { coldStartRounds: number; warmReads: { warmup: number; count: number } }): string {
  return [
    "size: the bundled, minified .mjs as deployed (KB = 1024 bytes); gzip: the same, gzipped; " +
      "+: packages installed beside it too (runtime.nodeModules; see the reports benchmark)",
    "init: median, from the process's start until the handler module is loaded (Lambda's INIT phase), in a " +
      "process that then exits, run in a pass of its own with no request anywhere; " +
      "init × min: over the minimal GetItem handler's init just before (it runs every 6 functions), median of " +
      "2 init runs a round",
    `cold: median of ${settings.coldStartRounds} fresh \`node\` processes, spawn to first response, Node's start-up ` +
      "included, NODE_OPTIONS=--enable-source-maps as deployed",
    "cold min: the fastest of them (other load on the machine only ever adds time)",
    "in-proc: median, import start to first response, inside the process",
    "cold × min: cold over the minimal GetItem handler's run just before, median of the rounds (the first " +
      "request's round trips included)",
    `warm: per request against DynamoDB Local, ${settings.warmReads.count} after ${settings.warmReads.warmup} ` +
      "warm-up (read routes only: writes would grow the data)",
  ].join("\n");
}

export function aimsLine(aims: Aims): string {
  const verdict = (met: boolean) => (met ? "met" : "MISSED");
  const { largestBundle: bundle, worstInitRatio: init, worstFirstResponseRatio: response } = aims;
  const over = aims.overBundleAim.map((f) => `${f.id} ${fixed(f.kb)} KB`).join(", ");
  return (
    `Aims: largest bundle ${fixed(bundle.kb)} KB (${bundle.id}) vs ${bundle.aimKb} KB: ${verdict(bundle.met)}` +
    `${over ? ` (over it: ${over})` : ""}; ` +
    `worst init ratio ${fixed(init.ratio, 2)}× (${init.id}) vs ${init.aim}×: ${verdict(init.met)} ` +
    `(of the fastest runs: ${fixed(init.fastest.ratio, 2)}×, ${init.fastest.id}); ` +
    `spawn to first response, worst ${fixed(response.ratio, 2)}× (${response.id})` +
    (aims.heldToOwnAims.length > 0 ? `; held to aims of their own instead: ${aims.heldToOwnAims.join(", ")}` : "")
  );
}
