import type { FunctionKind } from "./functions.ts";
import type { Summary } from "./stats.ts";

/** The aims the report holds the figures against (informative: the benchmark never fails on them). */
export const AIMS = { maxBundleKb: 350, maxColdStartRatio: 1.5 } as const;

export interface ColdStartFigures {
  /** Spawn of a fresh `node` to the handler's first response. */
  readonly spawnToResponseMs: Summary;
  /** Import start to the first response, inside the process. */
  readonly inProcessMs: Summary;
  readonly importMs: Summary;
  readonly firstInvokeMs: Summary;
  /** From the process's start to the runner's import of the bundle: Node's own boot. */
  readonly nodeStartupMs: Summary;
  /** Median spawn-to-response over the minimal GetItem handler's. */
  readonly ratioToMinimal: number;
  /** The same of the fastest runs: steadier when other work loads the machine. */
  readonly fastestRatioToMinimal: number;
}

export interface FunctionFigures {
  readonly id: string;
  readonly kind: FunctionKind;
  readonly bundle: { readonly bytes: number; readonly gzipBytes: number };
  readonly coldStart: ColdStartFigures;
  /** Per request, warm, in µs: read functions only (writes would grow the data). */
  readonly warmMicroseconds?: Summary;
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
  readonly worstColdStartRatio: {
    readonly id: string;
    readonly ratio: number;
    readonly aim: number;
    readonly met: boolean;
    /** The worst ratio of the fastest runs, for judging the median's noise. */
    readonly fastest: { readonly id: string; readonly ratio: number };
  };
}

export const kb = (bytes: number) => bytes / 1024;

/** Reference functions are yardsticks: the aims apply to the platform's own functions. */
export function evaluateAims(functions: readonly FunctionFigures[]): Aims {
  const own = functions.filter((f) => f.kind !== "reference");
  if (own.length === 0) throw new Error("no platform functions measured");
  const largest = own.reduce((a, b) => (b.bundle.bytes > a.bundle.bytes ? b : a));
  const slowest = own.reduce((a, b) => (b.coldStart.ratioToMinimal > a.coldStart.ratioToMinimal ? b : a));
  const slowestFastest = own.reduce((a, b) =>
    b.coldStart.fastestRatioToMinimal > a.coldStart.fastestRatioToMinimal ? b : a,
  );
  return {
    largestBundle: {
      id: largest.id,
      kb: kb(largest.bundle.bytes),
      aimKb: AIMS.maxBundleKb,
      met: kb(largest.bundle.bytes) <= AIMS.maxBundleKb,
    },
    worstColdStartRatio: {
      id: slowest.id,
      ratio: slowest.coldStart.ratioToMinimal,
      aim: AIMS.maxColdStartRatio,
      met: slowest.coldStart.ratioToMinimal <= AIMS.maxColdStartRatio,
      fastest: { id: slowestFastest.id, ratio: slowestFastest.coldStart.fastestRatioToMinimal },
    },
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
      "cold ms",
      "cold min",
      "in-proc ms",
      "× minimal",
      "warm p50 µs",
      "warm p99 µs",
    ],
    functions.map((f) => [
      f.id,
      f.kind,
      fixed(kb(f.bundle.bytes)),
      fixed(kb(f.bundle.gzipBytes)),
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
    "size: the bundled, minified .mjs as deployed (KB = 1024 bytes); gzip: the same, gzipped",
    `cold: median of ${settings.coldStartRounds} fresh \`node\` processes, spawn to first response, Node's start-up ` +
      "included, NODE_OPTIONS=--enable-source-maps as deployed",
    "cold min: the fastest of them (other load on the machine only ever adds time)",
    "in-proc: median, import start to first response, inside the process",
    "× minimal: cold over the minimal GetItem handler's cold",
    `warm: per request against DynamoDB Local, ${settings.warmReads.count} after ${settings.warmReads.warmup} ` +
      "warm-up (read routes only: writes would grow the data)",
  ].join("\n");
}

export function aimsLine(aims: Aims): string {
  const verdict = (met: boolean) => (met ? "met" : "MISSED");
  const { largestBundle: bundle, worstColdStartRatio: cold } = aims;
  return (
    `Aims: largest bundle ${fixed(bundle.kb)} KB (${bundle.id}) vs ${bundle.aimKb} KB: ${verdict(bundle.met)}; ` +
    `worst cold-start ratio ${fixed(cold.ratio, 2)}× (${cold.id}) vs ${cold.aim}×: ${verdict(cold.met)} ` +
    `(of the fastest runs: ${fixed(cold.fastest.ratio, 2)}×, ${cold.fastest.id})`
  );
}
