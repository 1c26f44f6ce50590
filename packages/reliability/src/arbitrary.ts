/**
 * fast-check arbitraries from the zod schemas the platform's routes declare, for fuzzing every route.
 *
 * Schemas are walked through `schema._zod.def` (shared by `zod/mini` and classic `zod`, both on `zod/v4/core`) and
 * their checks (`def.checks`; a format schema such as `z.email()` or `z.int()` is its own first check).
 *
 * - `validValue(schema)`: inputs the schema accepts, built by construction: lengths and numbers at exactly their
 *   bounds as well as between, text from every Unicode plane (astral, CJK, RTL and bidi controls, combining marks,
 *   emoji, C0 controls, noncharacters), regexes through `fc.stringMatching`, formats (uuid, email, ISO date/datetime,
 *   time), enums, strict objects without extra keys and non-strict ones sometimes with hostile extra keys
 *   (`__proto__`, `constructor`, …). Refinements across fields (`endDate >= startDate`, a bid needs its deadline) are
 *   met by repairing the field a refinement names (it takes a sibling's value, an element-wise filtered list, one of
 *   three alternatives, or is left out); a list refinement (`uniqueBy`) drops the items it names. A last
 *   `safeParse` filter only guards: `guardStats(schema)` counts what it rejects (the tests hold it under 2 %).
 *   Lengths are counted in code points, as this zod counts them (`z.string().max(60)` takes 60 astral characters).
 * - `brokenValue(schema)`: a valid value with exactly one thing broken at `path`, named by `how` (see BREAK_KINDS).
 *   Guarantee: `safeParse` fails and one of its issues has a path equal to `path` or below it; for an extra key the
 *   `unrecognized_keys` issue at the parent path names it. Breaks that would not meet this (a break inside a
 *   non-discriminated union reported as `invalid_union` at the union, say) are filtered out.
 * - Query and path parts arrive as strings (API Gateway passes `Record<string, string>`; repeated query keys joined
 *   with ","): `toStringRecord` turns a value into that form (numbers as decimal strings, booleans `true`/`false`,
 *   arrays comma-joined, objects as JSON, `undefined` and `null` left out), `validStringRecord` and
 *   `brokenStringRecord` generate parts already in string form (coerced numbers sometimes spelled ` 7`, `+7`, `7.0`,
 *   `0x7`, `7e0`, which `Number()` accepts; breaks that only change the JSON type are not generated there).
 * - `hostileStrings()`: path and query values with `/`, `%00`, `..`, `%2F`, NUL, every plane, lone surrogates and
 *   very long runs. They are not URL-safe: send them through `encodePathSegment`/`encodeQuery`, which never throw
 *   (a lone surrogate is sent as the percent-encoded bytes of its WTF-8 form, which is invalid UTF-8).
 *
 * Unsupported def types (`symbol`, `function`, `promise`, `file`, `never` where a value is needed, `custom` that no
 * JSON value satisfies) throw UnsupportedSchemaError naming the path when the arbitrary is built; a guard that
 * rejects 500 constructed values in a row throws it while generating (never an endless `filter`). `transform`,
 * `any`, `unknown` produce JSON values and are never broken; `catch` is never broken (it accepts everything).
 *
 * A fuzz test of a route, one request per run:
 *
 *   fc.assert(
 *     fc.asyncProperty(brokenValue(proposeVisit.request.body), async ({ value, path, how }) => {
 *       const response = await client.post("/visits", JSON.stringify(value));
 *       expect(response.status, `${how} at ${path.join(".")}`).toBe(400);
 *     }),
 *     { numRuns: 200 },
 *   );
 *
 *   const query = fc.sample(validStringRecord(listVisits.request.query), 1)[0]; // { limit: "0x14", from: "2024-02-29" }
 *   fetch(`${base}/visits?${encodeQuery(query)}`);
 */
import fc from "fast-check";
import type * as core from "zod/v4/core";
import { safeParse } from "zod/v4/core";

export type Schema = core.$ZodType;
export type Path = (string | number)[];

/** A valid value with one thing broken at `path`; `how` is one of BREAK_KINDS. */
export interface Broken {
  value: unknown;
  path: Path;
  how: string;
}

/** What `brokenValue` may break, in the order it reports them. */
export const BREAK_KINDS = [
  /** Another JSON type: a number for a string, a string for a number or boolean, an object for an array, … */
  "wrong-type",
  /** `null` where the schema does not accept it. */
  "null",
  /** A required key left out. */
  "missing",
  /** An unknown key in a strict object (`path` ends with that key). */
  "extra-key",
  /** A string one code point past its max length. */
  "too-long",
  /** A string of 100 000 code points (or twice its max) where a max length is set. */
  "huge-string",
  /** A string one code point under its min length. */
  "too-short",
  /** A string breaking its regex, format or refinement, within its length bounds. */
  "pattern",
  /** A control character (U+0000–U+001F) inserted into a string that has a pattern. */
  "control-char",
  /** A number past its maximum (for integers: max + 1, 2^53, …). */
  "too-big",
  /** A number under its minimum. */
  "too-small",
  /** A fraction where an integer is required. */
  "not-integer",
  /** A number that is not a multiple of its `multipleOf`. */
  "not-multiple",
  /** A non-numeric string for a coerced number (`abc`, `NaN`, `1e999`, `0x`, …). */
  "nan-string",
  /** A value outside an enum or literal (`JA` for `ja`, `ja\u0000`, …). */
  "not-in-enum",
  /** An array one item past its max. */
  "too-many-items",
  /** An array of 10 000 items (or twice its max) where a max is set. */
  "huge-array",
  /** An array one item short of its min. */
  "too-few-items",
] as const;
export type BreakKind = (typeof BREAK_KINDS)[number];

export type Form = "json" | "string";

/** Thrown while building an arbitrary for a schema (or part) no value can be generated for. */
export class UnsupportedSchemaError extends Error {
  constructor(
    readonly path: Path,
    readonly type: string,
    detail: string,
  ) {
    super(`cannot generate values at ${formatPath(path)} (zod type ${type}): ${detail}`);
    this.name = "UnsupportedSchemaError";
  }
}

export const HUGE_STRING_LENGTH = 100_000;
export const HUGE_ARRAY_LENGTH = 10_000;

// ─── zod internals, loosely typed ────────────────────────────────────────────────────────────────────────────────────

interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}
interface CheckDef {
  readonly check: string;
  readonly [key: string]: unknown;
}

const defOf = (schema: Schema): Def => schema._zod.def as unknown as Def;
const sub = (def: Def, key: string): Schema => def[key] as Schema;

function checksOf(schema: Schema): CheckDef[] {
  const own = (defOf(schema).checks as core.$ZodCheck[] | undefined) ?? [];
  const list = schema._zod.traits.has("$ZodCheck") ? [schema as unknown as core.$ZodCheck, ...own] : own;
  return list.map((check) => check._zod.def as unknown as CheckDef);
}

const accepts = (schema: Schema, value: unknown): boolean => safeParse(schema, value).success;
const issuesOf = (schema: Schema, value: unknown): core.$ZodIssue[] => {
  const result = safeParse(schema, value);
  return result.success ? [] : result.error.issues;
};

function enumValues(def: Def): unknown[] {
  const entries = def.entries as Record<string, unknown>;
  const numeric = Object.values(entries).filter((v) => typeof v === "number");
  return Object.entries(entries)
    .filter(([key]) => !numeric.includes(Number(key)))
    .map(([, value]) => value);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isStrict = (def: Def): boolean => {
  const catchall = def.catchall as Schema | undefined;
  return catchall !== undefined && defOf(catchall).type === "never";
};

const isOptionalIn = (schema: Schema): boolean => schema._zod.optin !== undefined;

function formatPath(path: Path): string {
  return path.length === 0 ? "(root)" : path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
}

// ─── probing: a fixed-seed sample tells what a construction achieves ─────────────────────────────────────────────────

const PROBE_SEED = 20_201_718;

function passRate<T>(arb: fc.Arbitrary<T>, accept: (value: T) => boolean, runs = 40): number {
  const sample = fc.sample(arb, { numRuns: runs, seed: PROBE_SEED });
  return sample.filter(accept).length / sample.length;
}

/** Consecutive rejections after which a guard gives up (fast-check's own `filter` would loop forever). */
const MAX_REJECTIONS = 500;

/** How often a guard let a constructed value through. */
export interface GuardStats {
  accepted: number;
  rejected: number;
}

/** `arb.filter(accept)` that throws UnsupportedSchemaError after MAX_REJECTIONS rejections in a row. */
class Guarded<T> extends fc.Arbitrary<T> {
  constructor(
    private readonly arb: fc.Arbitrary<T>,
    private readonly accept: (value: T) => boolean,
    private readonly what: () => UnsupportedSchemaError,
    private readonly stats?: GuardStats,
  ) {
    super();
  }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
      const value = this.arb.generate(mrng, biasFactor);
      if (this.accept(value.value)) {
        if (this.stats) this.stats.accepted++;
        return value;
      }
      if (this.stats) this.stats.rejected++;
    }
    throw this.what();
  }
  canShrinkWithoutContext(value: unknown): value is T {
    return this.arb.canShrinkWithoutContext(value) && this.accept(value);
  }
  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    return this.arb.shrink(value, context).filter((shrunk) => this.accept(shrunk.value));
  }
}

function guard<T>(
  arb: fc.Arbitrary<T>,
  accept: (value: T) => boolean,
  path: Path,
  type: string,
  detail: string,
  stats?: GuardStats,
) {
  const error = () => new UnsupportedSchemaError(path, type, `${detail} (${MAX_REJECTIONS} tries)`);
  return new Guarded(arb, accept, error, stats);
}

const statsBySchema = new WeakMap<Schema, { valid: GuardStats; broken: GuardStats; strings: GuardStats }>();

/**
 * How often the final guards of `validValue`, `brokenValue` and the string-record generators rejected what was
 * constructed for `schema`, since the start (a fuzz suite can assert construction stays good).
 */
export function guardStats(schema: Schema): { valid: GuardStats; broken: GuardStats; strings: GuardStats } {
  let stats = statsBySchema.get(schema);
  if (!stats) {
    stats = {
      valid: { accepted: 0, rejected: 0 },
      broken: { accepted: 0, rejected: 0 },
      strings: { accepted: 0, rejected: 0 },
    };
    statsBySchema.set(schema, stats);
  }
  return stats;
}

/** `arb` guarded by `accept`, or undefined when a probe finds nothing it accepts. */
function filteredOrNone<T>(arb: fc.Arbitrary<T>, accept: (value: T) => boolean): fc.Arbitrary<T> | undefined {
  return passRate(arb, accept, 20) === 0 ? undefined : guard(arb, accept, [], "-", "a break rarely met");
}

// ─── characters and text ─────────────────────────────────────────────────────────────────────────────────────────────

const codePoints = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCodePoint(c));

/** One code point (zod counts string lengths in code points), drawn from every plane and script family. */
export const hostileChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: codePoints(0x20, 0x7e) },
  { weight: 2, arbitrary: codePoints(0xa0, 0x24f) },
  { weight: 2, arbitrary: codePoints(0x4e00, 0x9fff) },
  { weight: 1, arbitrary: codePoints(0x3040, 0x30ff) },
  { weight: 1, arbitrary: codePoints(0x0590, 0x06ff) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("\u200e", "\u200f", "\u202a", "\u202b", "\u202e", "\u2066", "\u2067", "\u2069"),
  },
  { weight: 1, arbitrary: codePoints(0x0300, 0x036f) },
  { weight: 1, arbitrary: codePoints(0x1f300, 0x1faff) },
  { weight: 2, arbitrary: codePoints(0x10000, 0x10ffff) },
  { weight: 1, arbitrary: codePoints(0x0250, 0xd7ff) },
  { weight: 1, arbitrary: codePoints(0xe000, 0xffff) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("\t", "\n", "\r", " ", "\u00a0", "\u2028", "\u3000", "\ufeff", "\u200b", "\u200d"),
  },
  { weight: 1, arbitrary: codePoints(0x00, 0x1f) },
);

const cpLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function lengthArb(min: number, max: number | undefined): fc.Arbitrary<number> {
  const hi = max ?? min + 1000;
  const parts: fc.MaybeWeightedArbitrary<number>[] = [
    { weight: 1, arbitrary: fc.constant(min) },
    { weight: 6, arbitrary: fc.integer({ min, max: Math.min(hi, min + 16) }) },
    { weight: 1, arbitrary: fc.integer({ min, max: hi }) },
  ];
  if (max !== undefined) parts.push({ weight: 1, arbitrary: fc.constant(max) });
  return fc.oneof(...parts);
}

/**
 * Texts of a drawn length made of a drawn motif of up to 8 code points: as many as fit, then mixed by a small PRNG
 * (as hostile, and far cheaper than drawing thousands of code points one by one; no `chain`, so it shrinks well).
 */
function textArb(min: number, max: number | undefined): fc.Arbitrary<string> {
  return fc
    .tuple(lengthArb(min, max), fc.array(hostileChar, { minLength: 1, maxLength: 8 }), fc.nat())
    .map(([n, motif, seed]) => (n <= motif.length ? motif.slice(0, n).join("") : mix(motif, n, seed)));
}

/** `n` code points picked from `motif` by a small PRNG (mulberry32) seeded with `seed`. */
function mix(motif: readonly string[], n: number, seed: number): string {
  let state = seed >>> 0;
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = motif[((t ^ (t >>> 14)) >>> 0) % motif.length] ?? "x";
  }
  return out.join("");
}

// ─── semantic string shapes (used for formats, and for patterns their own regex serves poorly) ───────────────────────

const DAY_MS = 86_400_000;
const dayString = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Most dates fall in two weeks across a leap day and a month end, so related dates often relate. */
const CLUSTER_DAY = Date.UTC(2024, 1, 22) / DAY_MS;
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

const isoDateArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 13 }).map((d) => dayString(CLUSTER_DAY + d)) },
  {
    weight: 3,
    arbitrary: fc
      .integer({ min: Date.UTC(1900, 0, 1) / DAY_MS, max: Date.UTC(2100, 11, 31) / DAY_MS })
      .map((d) => dayString(d)),
  },
  { weight: 1, arbitrary: fc.constantFrom("0000-01-01", "1970-01-01", "2000-02-29", "2099-12-31", "9999-12-31") },
);
const timeOfDayArb = (seconds: boolean, fraction: boolean) =>
  fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
    .chain(([h, m, s]) => {
      const base = seconds ? `${pad(h)}:${pad(m)}:${pad(s)}` : `${pad(h)}:${pad(m)}`;
      return fraction
        ? fc
            .option(fc.integer({ min: 0, max: 999_999 }), { nil: undefined })
            .map((f) => (f === undefined ? base : `${base}.${f}`))
        : fc.constant(base);
    });
const offsetArb = fc.oneof(
  fc.constant("Z"),
  fc
    .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30, 45))
    .map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
);
const isoDateTimeZArb = fc.tuple(isoDateArb, timeOfDayArb(true, true)).map(([d, t]) => `${d}T${t}Z`);
const isoDateTimeOffsetArb = fc
  .tuple(isoDateArb, timeOfDayArb(true, true), offsetArb)
  .map(([d, t, o]) => `${d}T${t}${o}`);
const SHAPES: Record<string, fc.Arbitrary<string>> = {
  date: isoDateArb,
  datetime: fc.oneof(isoDateTimeZArb, isoDateTimeOffsetArb),
  datetimeZ: isoDateTimeZArb,
  time: fc.oneof(timeOfDayArb(false, false), timeOfDayArb(true, true)),
  hhmm: timeOfDayArb(false, false),
  uuid: fc.uuid(),
  email: fc.emailAddress(),
  url: fc.webUrl(),
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
};
/** Format names of zod's string formats, to the shapes above that serve them. */
const FORMAT_SHAPES: Record<string, string[]> = {
  date: ["date"],
  datetime: ["datetime", "datetimeZ"],
  time: ["time"],
  uuid: ["uuid"],
  guid: ["uuid"],
  email: ["email"],
  url: ["url"],
  ipv4: ["ipv4"],
  ipv6: ["ipv6"],
};

// ─── strings ─────────────────────────────────────────────────────────────────────────────────────────────────────────

interface StringInfo {
  min: number;
  max: number | undefined;
  patterns: RegExp[];
  formats: string[];
  /** Refinements, overwrites (`z.trim()`) or formats without a pattern: only a parse tells. */
  needsGuard: boolean;
}

function stringInfo(schema: Schema): StringInfo {
  const info: StringInfo = { min: 0, max: undefined, patterns: [], formats: [], needsGuard: false };
  for (const check of checksOf(schema)) {
    switch (check.check) {
      case "min_length":
        info.min = Math.max(info.min, check.minimum as number);
        break;
      case "max_length":
        info.max = Math.min(info.max ?? Number.POSITIVE_INFINITY, check.maximum as number);
        break;
      case "length_equals":
        info.min = Math.max(info.min, check.length as number);
        info.max = Math.min(info.max ?? Number.POSITIVE_INFINITY, check.length as number);
        break;
      case "string_format": {
        const pattern = check.pattern as RegExp | undefined;
        if (pattern) info.patterns.push(pattern);
        else info.needsGuard = true;
        if (check.format !== "regex") info.formats.push(String(check.format));
        break;
      }
      default:
        info.needsGuard = true;
    }
  }
  return info;
}

/**
 * `s` with a run of one of its code points repeated (or a run removed) to `target` code points, keeping whatever
 * `keep` asks for (its pattern, say): tries a dozen positions, starting at one chosen by `seed`.
 */
function resize(s: string, target: number, seed: number, keep: (candidate: string) => boolean): string | undefined {
  const cps = [...s];
  const n = cps.length;
  if (n === target) return keep(s) ? s : undefined;
  if (n === 0) return undefined;
  const positions = target > n ? n : target + 1;
  for (let attempt = 0; attempt < Math.min(12, positions); attempt++) {
    const k = (seed + attempt * 7) % positions;
    const candidate =
      target > n
        ? cps.slice(0, k + 1).join("") + (cps[k] ?? "").repeat(target - n) + cps.slice(k + 1).join("")
        : cps.slice(0, k).join("") + cps.slice(k + n - target).join("");
    if (keep(candidate)) return candidate;
  }
  return undefined;
}

function stringArb(schema: Schema, path: Path): fc.Arbitrary<string> {
  const info = stringInfo(schema);
  const { min, max } = info;
  if (max !== undefined && max < min) throw new UnsupportedSchemaError(path, "string", `min ${min} > max ${max}`);
  const text = textArb(min, max);
  if (info.patterns.length === 0 && !info.needsGuard && info.formats.length === 0) return text;

  const valid = (s: string) => accepts(schema, s);
  // A pattern's own generator, brought within the length bounds (and sometimes to exactly one of them).
  const fitted = (arb: fc.Arbitrary<string>): fc.Arbitrary<string> =>
    fc
      .tuple(arb, fc.nat(), fc.constantFrom("natural", "natural", "natural", "natural", "min", "max"))
      .map(([s, seed, mode]) => {
        const n = cpLength(s);
        let target = n;
        if (mode === "min") target = min;
        else if (mode === "max" && max !== undefined) target = max;
        else if (n < min) target = min;
        else if (max !== undefined && n > max) target = max;
        if (target === n) return s;
        return resize(s, target, seed, valid) ?? s;
      });
  const candidates: { arb: fc.Arbitrary<string>; rate: number }[] = [];
  const consider = (arb: fc.Arbitrary<string>) => candidates.push({ arb, rate: passRate(arb, valid) });
  consider(text);
  for (const pattern of info.patterns.slice(0, 2)) {
    try {
      const maxLength = max === undefined ? undefined : Math.max(max, min);
      consider(fitted(fc.stringMatching(pattern, maxLength === undefined ? {} : { maxLength })));
    } catch {
      // a regex feature fc.stringMatching does not know (lookbehind, backreference, …): other candidates serve
    }
  }
  for (const format of info.formats)
    for (const shape of FORMAT_SHAPES[format] ?? []) if (SHAPES[shape]) consider(fitted(SHAPES[shape]));
  if (Math.max(...candidates.map((c) => c.rate)) < 0.5)
    for (const shape of Object.values(SHAPES)) consider(fitted(shape));
  const best = Math.max(...candidates.map((c) => c.rate));
  if (best === 0)
    throw new UnsupportedSchemaError(path, "string", `no generator meets its checks (${info.patterns.join(", ")})`);
  // The good candidates; when even the best is poor (a pattern plus a refinement few of its strings meet, such as a
  // real day `MM-DD`), the best alone, which the guard below then filters.
  const chosen = candidates.filter((c) => c.rate >= 0.5 * best && (c.rate >= 0.05 || c.rate === best));
  const arb = fc.oneof(...chosen.map((c) => ({ weight: Math.max(1, Math.round(c.rate * 10)), arbitrary: c.arb })));
  return guard(arb, valid, path, "string", "generated strings fail its checks");
}

// ─── numbers ─────────────────────────────────────────────────────────────────────────────────────────────────────────

const FORMAT_RANGES: Record<string, [number, number]> = {
  safeint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int32: [-2_147_483_648, 2_147_483_647],
  uint32: [0, 4_294_967_295],
  float32: [-3.4028234663852886e38, 3.4028234663852886e38],
  float64: [-Number.MAX_VALUE, Number.MAX_VALUE],
};

interface NumberInfo {
  lo: number;
  hi: number;
  loExcluded: boolean;
  hiExcluded: boolean;
  isInt: boolean;
  /** Bounds set by the schema itself (not only by the float64 range). */
  bounded: { lo: boolean; hi: boolean };
  multipleOf: number[];
  coerce: boolean;
  needsGuard: boolean;
}

function numberInfo(schema: Schema): NumberInfo {
  const info: NumberInfo = {
    lo: -Number.MAX_VALUE,
    hi: Number.MAX_VALUE,
    loExcluded: false,
    hiExcluded: false,
    isInt: false,
    bounded: { lo: false, hi: false },
    multipleOf: [],
    coerce: defOf(schema).coerce === true,
    needsGuard: false,
  };
  const raiseLo = (value: number, excluded: boolean) => {
    if (value > info.lo || (value === info.lo && excluded)) {
      info.lo = value;
      info.loExcluded = excluded;
    }
    info.bounded.lo = true;
  };
  const lowerHi = (value: number, excluded: boolean) => {
    if (value < info.hi || (value === info.hi && excluded)) {
      info.hi = value;
      info.hiExcluded = excluded;
    }
    info.bounded.hi = true;
  };
  for (const check of checksOf(schema)) {
    switch (check.check) {
      case "greater_than":
        raiseLo(check.value as number, check.inclusive !== true);
        break;
      case "less_than":
        lowerHi(check.value as number, check.inclusive !== true);
        break;
      case "number_format": {
        const format = String(check.format);
        if (format.includes("int")) info.isInt = true;
        const range = FORMAT_RANGES[format];
        if (range && format !== "float64") {
          raiseLo(range[0], false);
          lowerHi(range[1], false);
        }
        break;
      }
      case "multiple_of":
        info.multipleOf.push(check.value as number);
        break;
      default:
        info.needsGuard = true;
    }
  }
  return info;
}

/** The least and greatest integers within the bounds. */
function intBounds(info: NumberInfo): [number, number] {
  const lo = Number.isInteger(info.lo) ? info.lo + (info.loExcluded ? 1 : 0) : Math.ceil(info.lo);
  const hi = Number.isInteger(info.hi) ? info.hi - (info.hiExcluded ? 1 : 0) : Math.floor(info.hi);
  return [Math.max(lo, Number.MIN_SAFE_INTEGER), Math.min(hi, Number.MAX_SAFE_INTEGER)];
}

function intArb(lo: number, hi: number): fc.Arbitrary<number> {
  if (lo >= -0x80000000 && hi <= 0x7fffffff) return fc.integer({ min: lo, max: hi });
  return fc.bigInt({ min: BigInt(lo), max: BigInt(hi) }).map(Number);
}

function numberArb(schema: Schema, path: Path): fc.Arbitrary<number> {
  const info = numberInfo(schema);
  let arb: fc.Arbitrary<number>;
  if (info.isInt || info.multipleOf.some(Number.isInteger)) {
    const [lo, hi] = intBounds(info);
    if (lo > hi) throw new UnsupportedSchemaError(path, "number", "no integer within its bounds");
    const step = info.multipleOf.find((m) => Number.isInteger(m) && m !== 0);
    if (step !== undefined) {
      const kLo = Math.ceil(lo / Math.abs(step));
      const kHi = Math.floor(hi / Math.abs(step));
      if (kLo > kHi) throw new UnsupportedSchemaError(path, "number", "no multiple within its bounds");
      arb = fc.oneof(fc.constantFrom(kLo, kHi), intArb(kLo, kHi)).map((k) => k * Math.abs(step));
    } else {
      const parts: fc.MaybeWeightedArbitrary<number>[] = [
        { weight: 4, arbitrary: intArb(lo, hi) },
        { weight: 2, arbitrary: fc.constantFrom(lo, hi) },
        { weight: 1, arbitrary: intArb(lo, Math.min(hi, lo + 3)) },
        { weight: 1, arbitrary: intArb(Math.max(lo, hi - 3), hi) },
      ];
      const small: [number, number] = [Math.max(lo, -100), Math.min(hi, 100)];
      if (small[0] <= small[1]) parts.push({ weight: 2, arbitrary: intArb(small[0], small[1]) });
      arb = fc.oneof(...parts);
    }
  } else {
    if (info.lo > info.hi) throw new UnsupportedSchemaError(path, "number", "empty range");
    const parts: fc.MaybeWeightedArbitrary<number>[] = [
      {
        weight: 4,
        arbitrary: fc.double({
          min: info.lo,
          max: info.hi,
          minExcluded: info.loExcluded,
          maxExcluded: info.hiExcluded,
          noNaN: true,
          noDefaultInfinity: true,
        }),
      },
    ];
    const edges = [
      ...(info.bounded.lo && !info.loExcluded ? [info.lo] : []),
      ...(info.bounded.hi && !info.hiExcluded ? [info.hi] : []),
    ];
    if (edges.length > 0) parts.push({ weight: 2, arbitrary: fc.constantFrom(...edges) });
    const [lo, hi] = intBounds(info);
    const small: [number, number] = [Math.max(lo, -100), Math.min(hi, 100)];
    if (small[0] <= small[1]) parts.push({ weight: 2, arbitrary: intArb(small[0], small[1]) });
    arb = fc.oneof(...parts);
  }
  if (info.needsGuard || info.multipleOf.length > 0) {
    if (passRate(arb, (n) => accepts(schema, n), 20) === 0)
      throw new UnsupportedSchemaError(path, "number", "no generated number meets its checks");
    return guard(arb, (n) => accepts(schema, n), path, "number", "generated numbers fail its checks");
  }
  return arb;
}

// ─── building valid values ───────────────────────────────────────────────────────────────────────────────────────────

/** Beyond this many nested `z.lazy`, lists stay at their min length and optional parts are left out. */
const LAZY_DEPTH = 3;

interface BuildContext {
  readonly path: Path;
  readonly lazyDepth: number;
}

const built = new WeakMap<Schema, fc.Arbitrary<unknown>>();
const ABSENT = Symbol("absent");

const jsonArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  textArb(0, 40),
  fc.constantFrom<unknown>(null, 0, -1, "", "__proto__", {}, []),
);

function build(schema: Schema, ctx: BuildContext): fc.Arbitrary<unknown> {
  if (ctx.lazyDepth === 0) {
    const cached = built.get(schema);
    if (cached) return cached;
  }
  const arb = buildUncached(schema, ctx);
  if (ctx.lazyDepth === 0) built.set(schema, arb);
  return arb;
}

function guardedBy(schema: Schema, arb: fc.Arbitrary<unknown>, ctx: BuildContext, what: string) {
  if (passRate(arb, (v) => accepts(schema, v), 20) === 0)
    throw new UnsupportedSchemaError(ctx.path, defOf(schema).type, what);
  return guard(arb, (v) => accepts(schema, v), ctx.path, defOf(schema).type, what);
}

function lengthBounds(schema: Schema): { min: number; max: number | undefined } {
  let min = 0;
  let max: number | undefined;
  for (const check of checksOf(schema)) {
    if (check.check === "min_length" || check.check === "min_size") min = Math.max(min, check.minimum as number);
    if (check.check === "max_length" || check.check === "max_size")
      max = Math.min(max ?? Number.POSITIVE_INFINITY, check.maximum as number);
    if (check.check === "length_equals" || check.check === "size_equals") {
      const exact = (check.length ?? check.size) as number;
      min = Math.max(min, exact);
      max = Math.min(max ?? Number.POSITIVE_INFINITY, exact);
    }
  }
  return { min, max };
}

const hasCustomChecks = (schema: Schema) => checksOf(schema).some((c) => c.check === "custom");

function buildUncached(schema: Schema, ctx: BuildContext): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const deep = ctx.lazyDepth >= LAZY_DEPTH;
  const inner = (key: string) => build(sub(def, key), ctx);
  switch (def.type) {
    case "string":
      return stringArb(schema, ctx.path);
    case "number":
      return numberArb(schema, ctx.path);
    case "boolean":
      return fc.boolean();
    case "bigint": {
      let arb: fc.Arbitrary<bigint> = fc.oneof(fc.bigInt(), fc.constantFrom(0n, 1n, -1n));
      for (const check of checksOf(schema)) {
        if (check.check === "greater_than") arb = fc.bigInt({ min: (check.value as bigint) + 1n });
        if (check.check === "less_than") arb = fc.bigInt({ max: (check.value as bigint) - 1n });
      }
      return guardedBy(schema, arb, ctx, "no bigint meets its checks");
    }
    case "null":
      return fc.constant(null);
    case "undefined":
    case "void":
      return fc.constant(undefined);
    case "nan":
      return fc.constant(Number.NaN);
    case "any":
    case "unknown":
      return jsonArb;
    case "date":
      return guardedBy(
        schema,
        fc.oneof(
          fc.date({ noInvalidDate: true }),
          fc.constantFrom(new Date(0), new Date("2024-02-29T00:00:00Z"), new Date(8.64e15), new Date(-8.64e15)),
        ),
        ctx,
        "no date meets its checks",
      );
    case "literal":
      return fc.constantFrom(...(def.values as unknown[]));
    case "enum": {
      const values = enumValues(def);
      if (values.length === 0) throw new UnsupportedSchemaError(ctx.path, "enum", "an empty enum accepts nothing");
      return fc.constantFrom(...values);
    }
    case "template_literal":
      return guardedBy(schema, fc.stringMatching(schema._zod.pattern as RegExp), ctx, "template literal");
    case "optional":
    case "default":
    case "prefault":
      if (deep) return fc.constant(undefined);
      return fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: inner("innerType") });
    case "nullable":
      if (deep) return fc.constant(null);
      return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: inner("innerType") });
    case "nonoptional":
      return guard(inner("innerType"), (v) => v !== undefined, ctx.path, "nonoptional", "only undefined");
    case "readonly":
    case "catch":
    case "success":
      return inner("innerType");
    case "pipe": {
      const input = sub(def, "in");
      const from = defOf(input).type === "transform" ? sub(def, "out") : input;
      return guardedBy(schema, build(from, ctx), ctx, "no input passes the pipe");
    }
    case "transform":
      return guardedBy(schema, jsonArb, ctx, "no JSON value passes the transform");
    case "lazy": {
      if (ctx.lazyDepth > LAZY_DEPTH + 3)
        throw new UnsupportedSchemaError(ctx.path, "lazy", "recursion without an optional or list to end it");
      const getter = def.getter as () => Schema;
      return build(getter(), { ...ctx, lazyDepth: ctx.lazyDepth + 1 });
    }
    case "object":
      return objectArb(schema, def, ctx);
    case "array":
      return arrayArb(schema, def, ctx);
    case "tuple": {
      const items = (def.items as Schema[]).map((item, i) => build(item, { ...ctx, path: [...ctx.path, i] }));
      const rest = def.rest ? build(def.rest as Schema, ctx) : undefined;
      const arb = fc
        .tuple(fc.tuple(...items), rest ? fc.array(rest, { maxLength: deep ? 0 : 4 }) : fc.constant([]))
        .map(([head, tail]) => [...head, ...tail]);
      return guardedBy(schema, arb, ctx, "no tuple meets its checks");
    }
    case "record":
      return recordArb(schema, def, ctx);
    case "map":
    case "set": {
      const value = inner("valueType");
      const arb =
        def.type === "map"
          ? fc.array(fc.tuple(inner("keyType"), value), { maxLength: deep ? 0 : 5 }).map((entries) => new Map(entries))
          : fc.array(value, { maxLength: deep ? 0 : 5 }).map((items) => new Set(items));
      return guardedBy(schema, arb, ctx, `no ${def.type} meets its checks`);
    }
    case "union": {
      const options: fc.Arbitrary<unknown>[] = [];
      let failure: unknown;
      for (const option of def.options as Schema[]) {
        try {
          options.push(build(option, ctx));
        } catch (error) {
          if (!(error instanceof UnsupportedSchemaError)) throw error;
          failure ??= error;
        }
      }
      if (options.length === 0) throw failure;
      return guardedBy(schema, fc.oneof(...options), ctx, "no option's value passes the union");
    }
    case "intersection": {
      const left = inner("left");
      const right = inner("right");
      const merged = fc.tuple(left, right).map(([l, r]) => (isPlainObject(l) && isPlainObject(r) ? { ...l, ...r } : l));
      return guardedBy(schema, fc.oneof(merged, left, right), ctx, "no value meets both sides");
    }
    case "custom":
      return guardedBy(schema, jsonArb, ctx, "a custom schema no JSON value satisfies");
    default:
      throw new UnsupportedSchemaError(ctx.path, def.type, "not supported");
  }
}

const EXTRA_KEYS = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "isAdmin",
  "$where",
  "",
  "a\u0000b",
  "🔑",
];

/** Sets a property as an own data property, also `__proto__`, which plain assignment would take as the prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function withKey(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...obj };
  if (value === ABSENT || value === undefined) delete copy[key];
  else define(copy, key, value);
  return copy;
}

function objectArb(schema: Schema, def: Def, ctx: BuildContext): fc.Arbitrary<unknown> {
  const shape = def.shape as Record<string, Schema>;
  const keys = Object.keys(shape);
  const fields = keys.map((key) => build(shape[key] as Schema, { ...ctx, path: [...ctx.path, key] }));
  const assemble = (values: unknown[]) => {
    const out: Record<string, unknown> = {};
    values.forEach((value, i) => {
      if (value !== undefined) define(out, keys[i] as string, value);
    });
    return out;
  };
  let arb: fc.Arbitrary<Record<string, unknown>> = fc.tuple(...fields).map(assemble);

  if (!isStrict(def) && ctx.lazyDepth < LAZY_DEPTH) {
    const catchall = def.catchall as Schema | undefined;
    const extraValue =
      catchall && !["unknown", "any"].includes(defOf(catchall).type)
        ? build(catchall, { ...ctx, path: [...ctx.path, "*"] })
        : jsonArb;
    const extraKeys = EXTRA_KEYS.filter((key) => !keys.includes(key));
    arb = fc
      .tuple(arb, fc.option(fc.tuple(fc.constantFrom(...extraKeys), extraValue), { freq: 8 }))
      .map(([obj, extra]) => (extra ? withKey(obj, extra[0], extra[1]) : obj));
  }

  if (!hasCustomChecks(schema)) return arb;
  // Refinements across fields: repair the fields they name (statically, or as a probe finds them).
  const targets = new Set<string>();
  for (const check of checksOf(schema)) {
    const first = (check.path as Path | undefined)?.[0];
    if (check.check === "custom" && typeof first === "string" && keys.includes(first)) targets.add(first);
  }
  for (const candidate of fc.sample(arb, { numRuns: 12, seed: PROBE_SEED }))
    for (const issue of issuesOf(schema, candidate)) {
      const first = issue.path[0];
      if (issue.code === "custom" && typeof first === "string" && keys.includes(first)) targets.add(first);
    }
  if (targets.size === 0) return arb;
  const targetKeys = [...targets];
  const alternatives = fc.tuple(
    ...targetKeys.map((key) => fc.array(build(shape[key] as Schema, ctx), { minLength: 3, maxLength: 3 })),
  );
  return fc.tuple(arb, alternatives).map(([main, alts]) => {
    const altsByKey = new Map(targetKeys.map((key, i) => [key, alts[i] ?? []]));
    return repairObject(schema, shape, altsByKey, main);
  });
}

function repairObject(
  schema: Schema,
  shape: Record<string, Schema>,
  alternatives: Map<string, unknown[]>,
  main: Record<string, unknown>,
): Record<string, unknown> {
  let current = main;
  const queues = new Map<string, Iterator<unknown>>();
  for (let round = 0; round < 16; round++) {
    const issues = issuesOf(schema, current);
    if (issues.length === 0) return current;
    const failing = new Set<string>();
    for (const issue of issues) {
      const first = issue.path[0];
      if (typeof first === "string" && alternatives.has(first)) failing.add(first);
    }
    let changed = false;
    for (const key of failing) {
      let queue = queues.get(key);
      if (!queue) {
        queue = repairCandidates(schema, shape, key, current, alternatives.get(key) ?? []);
        queues.set(key, queue);
      }
      const next = queue.next();
      if (next.done) continue;
      current = withKey(current, key, next.value);
      changed = true;
    }
    if (!changed) return current;
  }
  return current;
}

/**
 * What a field a refinement names may take instead, tried in turn (lazily: each costs a parse): its list filtered
 * item by item, the other values of its enum, a sibling's value, an empty list, the alternatives drawn, absence.
 */
function* repairCandidates(
  schema: Schema,
  shape: Record<string, Schema>,
  key: string,
  current: Record<string, unknown>,
  alternatives: unknown[],
): Generator<unknown> {
  const field = shape[key] as Schema;
  const list = current[key];
  if (Array.isArray(list) && list.length > 1 && list.length <= 20) {
    const kept = list.filter((item) => accepts(schema, withKey(current, key, [item])));
    if (kept.length < list.length && accepts(field, kept)) yield kept;
  }
  const base = peel(field);
  const type = base && defOf(base).type;
  if (base && (type === "enum" || type === "literal")) {
    const choices = type === "enum" ? enumValues(defOf(base)) : (defOf(base).values as unknown[]);
    yield* choices.filter((choice) => choice !== current[key]);
  }
  for (const [other, value] of Object.entries(current))
    if (other !== key && value !== undefined && !Array.isArray(value) && accepts(field, value)) yield value;
  if (Array.isArray(list) && list.length > 0 && accepts(field, [])) yield [];
  yield* alternatives;
  if (isOptionalIn(field)) yield ABSENT;
}

function arrayArb(schema: Schema, def: Def, ctx: BuildContext): fc.Arbitrary<unknown> {
  const { min, max } = lengthBounds(schema);
  if (max !== undefined && max < min) throw new UnsupportedSchemaError(ctx.path, "array", `min ${min} > max ${max}`);
  const deep = ctx.lazyDepth >= LAZY_DEPTH;
  if ((deep || max === 0) && min === 0) return fc.constant([]);
  const element = build(sub(def, "element"), { ...ctx, path: [...ctx.path, 0] });
  const exactly = (n: number) => fc.array(element, { minLength: n, maxLength: n });
  const parts: fc.MaybeWeightedArbitrary<unknown[]>[] = [
    { weight: 6, arbitrary: fc.array(element, { minLength: min, maxLength: deep ? min : max }) },
    { weight: 1, arbitrary: exactly(min) },
  ];
  if (max !== undefined && !deep && max > min) parts.push({ weight: 1, arbitrary: exactly(max) });
  const arb = fc.oneof(...parts);
  if (!hasCustomChecks(schema)) return arb;
  // List refinements (duplicates, say) name their items: drop those items, a few times over.
  return arb.map((items) => {
    let current = items;
    for (let round = 0; round < 4; round++) {
      const named = new Set<number>();
      for (const issue of issuesOf(schema, current)) if (typeof issue.path[0] === "number") named.add(issue.path[0]);
      if (named.size === 0) return current;
      const next = current.filter((_, i) => !named.has(i));
      if (next.length < min) return current;
      current = next;
    }
    return current;
  });
}

function recordArb(schema: Schema, def: Def, ctx: BuildContext): fc.Arbitrary<unknown> {
  const keyType = sub(def, "keyType");
  const value = build(sub(def, "valueType"), { ...ctx, path: [...ctx.path, "*"] });
  const values = keyType._zod.values;
  if (values && !def.partial) {
    const keys = [...values].map(String);
    return fc.tuple(...keys.map(() => value)).map((vs) => {
      const out: Record<string, unknown> = {};
      keys.forEach((key, i) => {
        define(out, key, vs[i]);
      });
      return out;
    });
  }
  const keyArb = build(keyType, { ...ctx, path: [...ctx.path, "*"] }).map(String);
  const arb = fc.array(fc.tuple(keyArb, value), { maxLength: ctx.lazyDepth >= LAZY_DEPTH ? 0 : 6 }).map((entries) => {
    const out: Record<string, unknown> = {};
    for (const [key, v] of entries) define(out, key, v);
    return out;
  });
  return guardedBy(schema, arb, ctx, "no record meets its checks");
}

// ─── the public generators ───────────────────────────────────────────────────────────────────────────────────────────

export interface GenerateOptions {
  /** Keep the final `safeParse` filter (default); false returns what construction alone gives, to measure it. */
  guard?: boolean;
}

const validGuarded = new WeakMap<Schema, fc.Arbitrary<unknown>>();

/**
 * Values `schema` accepts (`safeParse` succeeds). Throws UnsupportedSchemaError for what it cannot generate: here, or
 * while generating when 500 constructed values in a row fail the schema.
 */
export function validValue(schema: Schema, options: GenerateOptions = {}): fc.Arbitrary<unknown> {
  const arb = build(schema, { path: [], lazyDepth: 0 });
  if (options.guard === false) return arb;
  let guarded = validGuarded.get(schema);
  if (!guarded) {
    const stats = guardStats(schema).valid;
    guarded = guard(
      arb,
      (v) => accepts(schema, v),
      [],
      defOf(schema).type,
      "constructed values fail the schema",
      stats,
    );
    validGuarded.set(schema, guarded);
  }
  return guarded;
}

// ─── breaking values ─────────────────────────────────────────────────────────────────────────────────────────────────

interface Placement {
  /** Where the new value goes (for a missing key: the key to delete). */
  at: Path;
  /** What the break reports. */
  path: Path;
  value: unknown;
}
interface Candidate {
  how: BreakKind;
  /** Built only for the candidate drawn (a large value offers thousands). */
  arb: () => fc.Arbitrary<Placement>;
}
interface LeafBreaker {
  how: BreakKind;
  arb: fc.Arbitrary<unknown>;
}

const DELETE = Symbol("delete");
const CONTROL = codePoints(0x00, 0x1f);
const PATTERN_BREAKERS = ["!", " ", "A", "a", "0", "9", "-", "_", ".", "/", "%", "@", "é", "漢", "😀", "\n", "\u0430"];
const NAN_STRINGS = ["abc", "NaN", "1,5", "one", "0x", "--1", "1e999", "Infinity", "-Infinity", "1/2", "١٢", "12abc"];

const hasIssue = (schema: Schema, value: unknown, codes: readonly string[]) =>
  issuesOf(schema, value).some((issue) => codes.includes(issue.code));
const onlyIssues = (schema: Schema, value: unknown, codes: readonly string[]) => {
  const issues = issuesOf(schema, value);
  return issues.length > 0 && issues.every((issue) => codes.includes(issue.code));
};

function nonEmptyConstants(schema: Schema, values: unknown[]): fc.Arbitrary<unknown> | undefined {
  const rejected = values.filter((v) => !accepts(schema, v));
  return rejected.length > 0 ? fc.constantFrom(...rejected) : undefined;
}

/** Stretched with a hostile run when a pattern does not mind, else with one of its own code points. */
function stretchBreak(
  schema: Schema,
  info: StringInfo,
  valid: fc.Arbitrary<string>,
  target: (max: number) => number,
): fc.Arbitrary<unknown> {
  const max = info.max ?? 0;
  const filler = fc
    .array(
      hostileChar.filter((c) => c.trim() === c),
      { minLength: 1, maxLength: 8 },
    )
    .map((cs) => cs.join(""));
  return fc.tuple(valid, fc.nat(), filler).map(([s, seed, run]) => {
    const length = target(max);
    if (info.patterns.length > 0) {
      const kept = resize(s, length, seed, (c) => onlyIssues(schema, c, ["too_big"]));
      if (kept !== undefined) return kept;
    }
    const missing = Math.max(0, length - cpLength(s));
    const repeated = run.repeat(Math.ceil(missing / cpLength(run)));
    // exact for a string one past its max; a huge one may overshoot by a few code points
    return s + (missing > 64 ? repeated : [...repeated].slice(0, missing).join(""));
  });
}

function stringBreakers(schema: Schema, path: Path): LeafBreaker[] {
  const info = stringInfo(schema);
  const valid = build(schema, { path, lazyDepth: 0 }) as fc.Arbitrary<string>;
  const out: LeafBreaker[] = [{ how: "wrong-type", arb: fc.constantFrom<unknown>(42, 0, -1.5, true, [], {}) }];
  const add = (how: BreakKind, arb: fc.Arbitrary<unknown>, accept: (value: unknown) => boolean) => {
    const filtered = filteredOrNone(arb, accept);
    if (filtered) out.push({ how, arb: filtered });
  };
  if (info.max !== undefined) {
    const max = info.max;
    add(
      "too-long",
      stretchBreak(schema, info, valid, (m) => m + 1),
      (v) => hasIssue(schema, v, ["too_big"]),
    );
    add(
      "huge-string",
      stretchBreak(schema, info, valid, (m) => Math.max(HUGE_STRING_LENGTH, 2 * m)),
      // twice as many UTF-16 units as its max: past it in code points too, and no parse of 100 000 of them
      (v) => typeof v === "string" && (v.length > 2 * max || hasIssue(schema, v, ["too_big"])),
    );
  }
  if (info.min > 0) {
    const target = info.min - 1;
    add(
      "too-short",
      fc.tuple(valid, fc.nat()).map(([s, seed]) => {
        const kept = resize(s, target, seed, (c) => onlyIssues(schema, c, ["too_small"]));
        return kept ?? [...s].slice(0, target).join("");
      }),
      (v) => hasIssue(schema, v, ["too_small"]),
    );
  }
  if (info.patterns.length > 0 || info.formats.length > 0 || info.needsGuard) {
    const withinBounds = (v: unknown) => onlyIssues(schema, v, ["invalid_format", "custom"]);
    add(
      "pattern",
      fc.oneof(
        fc.tuple(valid, fc.nat(), fc.constantFrom(...PATTERN_BREAKERS), fc.boolean()).map(([s, seed, c, insert]) => {
          const cps = [...s];
          const i = cps.length === 0 ? 0 : seed % cps.length;
          cps.splice(i, insert ? 0 : 1, c);
          return cps.join("");
        }),
        textArb(info.min, info.max),
      ),
      withinBounds,
    );
  }
  if (info.patterns.length > 0) {
    add(
      "control-char",
      fc.tuple(valid, fc.nat(), CONTROL).map(([s, seed, c]) => {
        const cps = [...s];
        cps.splice(seed % (cps.length + 1), 0, c);
        return cps.join("");
      }),
      (v) => !accepts(schema, v),
    );
  }
  return out;
}

function numberBreakers(schema: Schema, path: Path): LeafBreaker[] {
  const info = numberInfo(schema);
  const valid = build(schema, { path, lazyDepth: 0 }) as fc.Arbitrary<number>;
  const out: LeafBreaker[] = [];
  const add = (
    how: BreakKind,
    arb: fc.Arbitrary<unknown> | undefined,
    accept = (v: unknown) => !accepts(schema, v),
  ) => {
    const filtered = arb && filteredOrNone(arb, accept);
    if (filtered) out.push({ how, arb: filtered });
  };
  if (info.coerce) add("nan-string", nonEmptyConstants(schema, [...NAN_STRINGS, {}]));
  else add("wrong-type", nonEmptyConstants(schema, ["1", "0", "", "NaN", true, [], {}]));
  const [intLo, intHi] = intBounds(info);
  if (info.bounded.hi || info.isInt) {
    const hi = info.isInt ? intHi : info.hi;
    const above = info.isInt
      ? [hi + 1, hi + 1000, 2 ** 53, 1e21]
      : [info.hiExcluded ? hi : hi + Math.max(Math.abs(hi) * 1e-12, 1e-9), hi + 1, Number.MAX_VALUE];
    add("too-big", nonEmptyConstants(schema, above.filter(Number.isFinite)));
  }
  if (info.bounded.lo || info.isInt) {
    const lo = info.isInt ? intLo : info.lo;
    const below = info.isInt
      ? [lo - 1, lo - 1000, -(2 ** 53), -1e21]
      : [info.loExcluded ? lo : lo - Math.max(Math.abs(lo) * 1e-12, 1e-9), lo - 1, -Number.MAX_VALUE];
    add("too-small", nonEmptyConstants(schema, below.filter(Number.isFinite)));
  }
  if (info.isInt)
    add(
      "not-integer",
      valid.map((v) => (v + 0.5 <= intHi ? v + 0.5 : v - 0.5)),
    );
  const divisor = info.multipleOf[0];
  if (divisor !== undefined && divisor !== 0)
    add(
      "not-multiple",
      valid.map((v) => v + divisor / 2),
    );
  return out;
}

function enumBreakers(schema: Schema, values: unknown[]): LeafBreaker[] {
  const set = new Set(values);
  const variants = values.flatMap((v): unknown[] => {
    if (typeof v === "string")
      return [v.toUpperCase(), `${v}x`, ` ${v}`, `${v} `, `${v}\u0000`, v.replace(/a/, "\u0430"), v.slice(0, -1)];
    if (typeof v === "number") return [v + 1, -v - 1];
    if (typeof v === "boolean") return [!v];
    return ["null"];
  });
  const out: LeafBreaker[] = [];
  const outside = nonEmptyConstants(
    schema,
    [...variants, "", "unknown", "__proto__"].filter((v) => !set.has(v)),
  );
  if (outside) out.push({ how: "not-in-enum", arb: outside });
  const wrongType = nonEmptyConstants(schema, [0, 1, true, [], {}]);
  if (wrongType) out.push({ how: "wrong-type", arb: wrongType });
  return out;
}

const leafBreakerCache = new WeakMap<Schema, LeafBreaker[]>();
const LEAF_TYPES = new Set([
  "string",
  "number",
  "boolean",
  "bigint",
  "enum",
  "literal",
  "date",
  "nan",
  "template_literal",
]);

function leafBreakers(schema: Schema, path: Path): LeafBreaker[] {
  const cached = leafBreakerCache.get(schema);
  if (cached) return cached;
  const def = defOf(schema);
  let out: LeafBreaker[];
  switch (def.type) {
    case "string":
      out = stringBreakers(schema, path);
      break;
    case "number":
      out = numberBreakers(schema, path);
      break;
    case "enum":
      out = enumBreakers(schema, enumValues(def));
      break;
    case "literal":
      out = enumBreakers(schema, def.values as unknown[]);
      break;
    default: {
      const wrong = nonEmptyConstants(schema, ["true", 1, "2024-01-01", "x", [], {}]);
      out = wrong ? [{ how: "wrong-type", arb: wrong }] : [];
    }
  }
  leafBreakerCache.set(schema, out);
  return out;
}

/** Unwraps optional, nullable, default, readonly, lazy and pipes to the schema a value is checked against. */
function peel(schema: Schema): Schema | undefined {
  let current = schema;
  for (let i = 0; i < 32; i++) {
    const def = defOf(current);
    switch (def.type) {
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "nonoptional":
      case "readonly":
        current = sub(def, "innerType");
        break;
      case "lazy":
        current = (def.getter as () => Schema)();
        break;
      case "pipe": {
        const input = sub(def, "in");
        if (defOf(input).type === "transform") return undefined;
        current = input;
        break;
      }
      case "catch":
      case "transform":
      case "any":
      case "unknown":
      case "success":
      case "custom":
        return undefined;
      default:
        return current;
    }
  }
  return undefined;
}

const place =
  (at: Path, path: Path = at) =>
  (value: unknown) => ({ at, path, value });
const NULL = fc.constant(null);

const nullAccepted = new WeakMap<Schema, boolean>();
function acceptsNull(schema: Schema): boolean {
  let accepted = nullAccepted.get(schema);
  if (accepted === undefined) {
    accepted = accepts(schema, null);
    nullAccepted.set(schema, accepted);
  }
  return accepted;
}

const constantsCache = new WeakMap<Schema, fc.Arbitrary<unknown> | null>();
/** nonEmptyConstants, once per schema (the values offered for one schema are always the same). */
function cachedConstants(schema: Schema, values: unknown[]): fc.Arbitrary<unknown> | undefined {
  let arb = constantsCache.get(schema);
  if (arb === undefined) {
    arb = nonEmptyConstants(schema, values) ?? null;
    constantsCache.set(schema, arb);
  }
  return arb ?? undefined;
}

/** Every break the value offers, at every depth. `present`: whether the value is there (an absent optional part is not). */
function collect(
  schema: Schema,
  value: unknown,
  present: boolean,
  at: Path,
  form: Form,
  out: Candidate[],
  depth: number,
): void {
  const base = peel(schema);
  if (!base || depth > 64) return;
  const def = defOf(base);
  const json = form === "json";
  const add = (how: BreakKind, arb: fc.Arbitrary<unknown> | undefined) => {
    if (arb) out.push({ how, arb: () => arb.map(place(at)) });
  };
  if (json && !acceptsNull(schema)) add("null", NULL);

  if (LEAF_TYPES.has(def.type)) {
    for (const breaker of leafBreakers(base, at))
      if (json || breaker.how !== "wrong-type") add(breaker.how, breaker.arb);
    return;
  }
  const wrongType = (values: unknown[]) => {
    if (json) add("wrong-type", cachedConstants(schema, values));
  };
  switch (def.type) {
    case "object": {
      wrongType([[], "object", 0]);
      if (!present || !isPlainObject(value)) return;
      const shape = def.shape as Record<string, Schema>;
      for (const [key, field] of Object.entries(shape)) {
        const has = Object.hasOwn(value, key) && value[key] !== undefined;
        if (has && !isOptionalIn(field))
          out.push({ how: "missing", arb: () => fc.constant({ at: [...at, key], path: [...at, key], value: DELETE }) });
        collect(field, has ? value[key] : undefined, has, [...at, key], form, out, depth + 1);
      }
      if (isStrict(def)) {
        const names = EXTRA_KEYS.filter((key) => !Object.hasOwn(shape, key));
        out.push({
          how: "extra-key",
          arb: () =>
            fc
              .tuple(fc.constantFrom(...names), fc.constantFrom<unknown>(true, "x", 1, null, {}))
              .map(([key, extra]) => ({ at: [...at, key], path: [...at, key], value: extra })),
        });
      }
      return;
    }
    case "array": {
      wrongType([{}, "a,b", 1]);
      if (!present || !Array.isArray(value)) return;
      const { min, max } = lengthBounds(base);
      const element = sub(def, "element");
      const grown = (length: number) => () =>
        validValue(element)
          .map((e) => [...value, ...Array<unknown>(length - value.length).fill(e)])
          .map(place(at));
      if (max !== undefined) {
        out.push({ how: "too-many-items", arb: grown(max + 1) });
        out.push({ how: "huge-array", arb: grown(Math.max(HUGE_ARRAY_LENGTH, 2 * max)) });
      }
      if (min > 0) out.push({ how: "too-few-items", arb: () => fc.constant(place(at)(value.slice(0, min - 1))) });
      // Inside a long list, the first two items, a middle one and the last stand for the rest.
      const indices = value.length <= 8 ? value.keys() : new Set([0, 1, value.length >> 1, value.length - 1]);
      for (const i of indices) collect(element, value[i], true, [...at, i], form, out, depth + 1);
      return;
    }
    case "tuple": {
      wrongType([{}, "a", 1]);
      if (!present || !Array.isArray(value)) return;
      (def.items as Schema[]).forEach((item, i) => {
        collect(item, value[i], i < value.length, [...at, i], form, out, depth + 1);
      });
      return;
    }
    case "record": {
      wrongType([[], "record", 0]);
      if (!present || !isPlainObject(value)) return;
      for (const [key, item] of Object.entries(value))
        collect(sub(def, "valueType"), item, true, [...at, key], form, out, depth + 1);
      return;
    }
    case "union": {
      wrongType([12345, "", true, [], {}]);
      if (!present) return;
      const option = (def.options as Schema[]).find((o) => accepts(o, value));
      if (option) collect(option, value, true, at, form, out, depth + 1);
      return;
    }
    default:
      wrongType([12345, "x", true, [], {}]);
  }
}

function setAt(root: unknown, at: Path, value: unknown): unknown {
  if (at.length === 0) return value === DELETE ? undefined : value;
  const [head, ...rest] = at as [string | number, ...Path];
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = setAt(root[head as number], rest, value);
    return copy;
  }
  const obj = isPlainObject(root) ? root : {};
  const key = String(head);
  const next = rest.length === 0 ? value : setAt(obj[key], rest, value);
  return withKey(obj, key, next === DELETE ? ABSENT : next);
}

/** Whether an issue reports the break at `path`: at it or below, or an unrecognized key named at its parent. */
function reports(issue: core.$ZodIssue, path: Path): boolean {
  const issuePath = issue.path as Path;
  if (issuePath.length >= path.length && path.every((p, i) => issuePath[i] === p)) return true;
  if (issue.code === "unrecognized_keys" && issuePath.length === path.length - 1) {
    const key = path[path.length - 1];
    return issuePath.every((p, i) => path[i] === p) && issue.keys.includes(String(key));
  }
  return false;
}

/** The guarantee `brokenValue` keeps: the schema refuses the value, with an issue at the break's path. */
export function breakIsReported(schema: Schema, broken: Broken): boolean {
  return issuesOf(schema, broken.value).some((issue) => reports(issue, broken.path));
}

export interface BreakOptions extends GenerateOptions {
  /** "string": for query and path parts, only breaks that survive `toStringRecord` (no JSON type changes). */
  form?: Form;
}

/**
 * A valid value with exactly one thing broken at `path` (see BREAK_KINDS). The kind is drawn first, uniformly among
 * the kinds the value offers, then the place, so every kind turns up.
 */
export function brokenValue(schema: Schema, options: BreakOptions = {}): fc.Arbitrary<Broken> {
  const form = options.form ?? "json";
  const NONE: Broken = { value: undefined, path: [], how: "" };
  const arb: fc.Arbitrary<Broken> = validValue(schema).chain((value): fc.Arbitrary<Broken> => {
    const candidates: Candidate[] = [];
    collect(schema, value, true, [], form, candidates, 0);
    const kinds = BREAK_KINDS.filter((how) => candidates.some((c) => c.how === how));
    if (kinds.length === 0) return fc.constant(NONE);
    return fc.constantFrom(...kinds).chain((how) => {
      const ofKind = candidates.filter((c) => c.how === how);
      return fc
        .constantFrom(...ofKind)
        .chain((candidate) => candidate.arb().map((p) => ({ value: setAt(value, p.at, p.value), path: p.path, how })));
    });
  });
  if (options.guard === false) return arb;
  const accept = (b: Broken) => b.how !== "" && breakIsReported(schema, b);
  return guard(arb, accept, [], defOf(schema).type, "no break of it is reported", guardStats(schema).broken);
}

// ─── string forms: query and path parts ──────────────────────────────────────────────────────────────────────────────

/**
 * A value as API Gateway hands it to a handler in `queryStringParameters`/`pathParameters`: strings as they are,
 * numbers in decimal (`String(n)`), booleans `true`/`false`, arrays comma-joined (the gateway joins repeated query
 * keys with ","), dates as ISO instants, other objects as JSON; `undefined` and `null` have no string form (the key is
 * left out).
 */
export function stringForm(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => stringForm(item) ?? "").join(",");
  return JSON.stringify(value);
}

/** An object as a query or path part: every key with a string form (see stringForm). */
export function toStringRecord(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) throw new TypeError("a query or path part is an object");
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    const text = stringForm(item);
    if (text !== undefined) define(out, key, text);
  }
  return out;
}

/** Ways `Number()` (z.coerce.number) reads as the same number. */
function spellings(n: number): string[] {
  const out = [String(n), ` ${n}`, `${n}\t`, `${n}e0`];
  if (n >= 0) out.push(`+${n}`);
  if (Number.isInteger(n) && Math.abs(n) < 1e15)
    out.push(`${n}.0`, ...(n >= 0 ? [`0x${n.toString(16)}`, `0${n}`] : []));
  return out;
}

function coercedKeys(schema: Schema): Set<string> {
  const keys = new Set<string>();
  const base = peel(schema);
  if (!base || defOf(base).type !== "object") return keys;
  for (const [key, field] of Object.entries(defOf(base).shape as Record<string, Schema>)) {
    const inner = peel(field);
    if (inner && defOf(inner).type === "number" && defOf(inner).coerce === true) keys.add(key);
  }
  return keys;
}

/** Query or path parts the schema accepts, in string form; coerced numbers sometimes spelled otherwise (` 7`, `0x7`). */
export function validStringRecord(schema: Schema): fc.Arbitrary<Record<string, string>> {
  const coerced = coercedKeys(schema);
  const arb = fc.tuple(validValue(schema), fc.array(fc.nat(), { minLength: 4, maxLength: 4 })).map(([value, seeds]) => {
    const record = toStringRecord(value);
    if (!isPlainObject(value)) return record;
    let i = 0;
    for (const key of coerced) {
      const n = value[key];
      const seed = seeds[i++ % seeds.length] ?? 0;
      if (typeof n === "number" && seed % 3 === 0) {
        const options = spellings(n);
        define(record, key, options[seed % options.length] ?? String(n));
      }
    }
    return record;
  });
  const stats = guardStats(schema).strings;
  return guard(arb, (record) => accepts(schema, record), [], defOf(schema).type, "no value in string form", stats);
}

/** Query or path parts in string form with one thing broken (as brokenValue), reported at `path`. */
export function brokenStringRecord(
  schema: Schema,
): fc.Arbitrary<{ value: Record<string, string>; path: Path; how: string }> {
  type Part = { value: Record<string, string>; path: Path; how: string };
  const arb = brokenValue(schema, { form: "string", guard: false }).map((b): Part | undefined =>
    b.how !== "" && isPlainObject(b.value) ? { ...b, value: toStringRecord(b.value) } : undefined,
  );
  const accept = (b: Part | undefined) => b !== undefined && breakIsReported(schema, b);
  const stats = guardStats(schema).strings;
  return guard(arb, accept, [], defOf(schema).type, "nothing breaks in string form", stats) as fc.Arbitrary<Part>;
}

// ─── hostile strings for paths and queries, and encoding them ────────────────────────────────────────────────────────

const HOSTILE_FRAGMENTS = [
  "/",
  "//",
  "..",
  "../",
  "..%2F",
  "%2F",
  "%2f",
  "%00",
  "\u0000",
  "%",
  "%%",
  "%zz",
  "%E0%A4%A",
  "?",
  "#",
  "&",
  "=",
  "+",
  ";",
  ",",
  "\\",
  " ",
  "\t",
  "\r\n",
  "\u2028",
  "'",
  '"',
  "`",
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  "${7*7}",
  "{{7*7}}",
  "' OR '1'='1",
  "__proto__",
  "constructor",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "\ufeff",
  "\u200b",
  "\u202e",
  "e\u0301",
  "👩‍👩‍👧‍👦",
  "🏳️‍🌈",
  "漢字",
  "עברית",
  "العربية",
  "\uffff",
  "\ufffe",
  "\udbff\udfff",
  "\ud800",
  "\udc00",
  "\ud83d",
];

/** A code point of any plane 0–16, surrogates included (a lone one when it falls in U+D800–U+DFFF). */
const anyPlaneChar = fc
  .tuple(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 0xffff }))
  .map(([plane, offset]) => {
    const cp = plane * 0x10000 + offset;
    return cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
  });

export interface HostileStringOptions {
  /** Let very long strings (1 024, 8 192 or 100 000 UTF-16 units) appear (default true). */
  long?: boolean;
}

/**
 * Strings for path and query values: separators and traversal (`/`, `..`, `%2F`), NUL raw and encoded (`%00`),
 * broken escapes, injection classics, bidi overrides, combining marks, emoji sequences, every plane, noncharacters and
 * lone surrogates, and sometimes very long runs. They are not URL-safe: encode them with encodePathSegment or
 * encodeQuery, which never throw (`encodeURIComponent` throws on a lone surrogate).
 */
export function hostileStrings(options: HostileStringOptions = {}): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) },
    { weight: 2, arbitrary: anyPlaneChar },
    { weight: 2, arbitrary: hostileChar },
    { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,12}$/) },
  );
  const short = fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join(""));
  if (options.long === false) return short;
  const long = fc
    .tuple(short, fc.constantFrom(1024, 8192, 100_000))
    .map(([s, length]) => s.repeat(Math.ceil(length / s.length)).slice(0, length));
  return fc.oneof({ weight: 12, arbitrary: short }, { weight: 1, arbitrary: long });
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const hex = (byte: number) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;

function encodeComponent(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      // A lone surrogate: the three bytes UTF-8 would give it (WTF-8), which no UTF-8 decoder accepts.
      out += hex(0xe0 | (unit >> 12)) + hex(0x80 | ((unit >> 6) & 0x3f)) + hex(0x80 | (unit & 0x3f));
    } else {
      const char = text[i] ?? "";
      out += UNRESERVED.test(char) ? char : encodeURIComponent(char).replace(/[!'()*]/g, (c) => hex(c.charCodeAt(0)));
    }
  }
  return out;
}

/**
 * One path segment, percent-encoded (RFC 3986: all but unreserved characters); never throws. `.` and `..` are
 * encoded as `%2E` and `%2E%2E`, but note that WHATWG URL parsers (fetch, `new URL`) still treat those as dot segments
 * and resolve them away: send such paths with `node:http` `request({ path })` to have them reach the server.
 */
export function encodePathSegment(segment: string): string {
  if (segment === "." || segment === "..") return segment.replaceAll(".", "%2E");
  return encodeComponent(segment);
}

/** A query string (without `?`) from a string record, every key and value percent-encoded; never throws. */
export function encodeQuery(record: Readonly<Record<string, string>>): string {
  return Object.entries(record)
    .map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(value)}`)
    .join("&");
}
