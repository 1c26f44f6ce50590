import {
  BilingualText,
  CountryCode,
  Email,
  FiscalYearNumber,
  FundHoldRequested,
  HoldReference,
  IsoDate,
  Money,
  PartnerContact,
  PartnerId,
  ProgrammeId,
  Text,
  uniqueBy,
  VisitCompleted,
  YenAmount,
} from "@cdp/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as zc from "zod";
import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import { safeParse } from "zod/v4/core";
import {
  type BreakKind,
  type Broken,
  breakIsReported,
  brokenStringRecord,
  brokenValue,
  encodePathSegment,
  encodeQuery,
  guardStats,
  HUGE_STRING_LENGTH,
  hostileStrings,
  type Path,
  stringForm,
  toStringRecord,
  UnsupportedSchemaError,
  validStringRecord,
  validValue,
} from "./arbitrary.ts";

// ─── schemas mirroring the services' shapes (a package may not import a service) ─────────────────────────────────────

const Yen = z.int().check(z.minimum(0), z.maximum(10_000_000_000));
const Time = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time HH:MM"));
const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000) + 1;
interface Dated {
  startDate?: string | undefined;
  endDate?: string | undefined;
  itinerary?: readonly { date: string }[] | undefined;
}
const dateChecks = [
  z.refine<Dated>((v) => !v.startDate || !v.endDate || v.endDate >= v.startDate, { path: ["endDate"] }),
  z.refine<Dated>((v) => !v.startDate || !v.endDate || daysBetween(v.startDate, v.endDate) <= 60, {
    path: ["endDate"],
  }),
  z.refine<Dated>(
    (v) =>
      !v.startDate ||
      !v.endDate ||
      (v.itinerary ?? []).every((e) => e.date >= (v.startDate ?? "") && e.date <= (v.endDate ?? "")),
    { path: ["itinerary"] },
  ),
];
const visitFields = {
  direction: z.enum(["outbound", "inbound"]),
  partnerIds: z.array(PartnerId).check(z.minLength(1), z.maxLength(10)),
  delegationHead: z.strictObject({ name: BilingualText, level: z.enum(["head", "deputy", "official"]) }),
  priority: z.int().check(z.minimum(1), z.maximum(5)),
  startDate: IsoDate,
  endDate: IsoDate,
  itinerary: z
    .array(
      z.strictObject({ date: IsoDate, time: z.optional(Time), place: Text(100), counterpart: z.optional(Text(100)) }),
    )
    .check(z.maxLength(30)),
  members: z
    .array(
      z.strictObject({
        name: z.object({ ja: Text(60), en: Text(60) }),
        personal: z.optional(
          z.strictObject({ passportNumber: z.optional(z.string().check(z.regex(/^[A-Z0-9]{6,12}$/))) }),
        ),
      }),
    )
    .check(z.maxLength(20)),
  costEstimate: z.strictObject({
    breakdown: z._default(z.array(z.strictObject({ item: Text(100), amountYen: Yen })).check(z.maxLength(10)), []),
  }),
  conferenceId: z.optional(z.uuid()),
};
/** Like visit-scheduling's VisitInput: strict, defaults, nested lists, refinements across fields. */
const VisitInput = z
  .strictObject({
    ...visitFields,
    itinerary: z._default(visitFields.itinerary, []),
    members: z._default(visitFields.members, []),
    costEstimate: z._default(visitFields.costEstimate, { breakdown: [] }),
  })
  .check(...dateChecks);
/** Like its VisitPatch: every field optional, at least one named. */
const VisitPatch = z.partial(z.strictObject(visitFields)).check(
  z.refine((p) => Object.keys(p).length > 0, { message: "names no field to change" }),
  ...dateChecks,
);

const year = z.int().check(z.minimum(1896), z.maximum(2100));
/** Like city-registry's PartnerInput: a discriminated union, list refinements (uniqueBy), a nested refinement. */
const PartnerInput = z.strictObject({
  id: PartnerId,
  name: BilingualText,
  country: CountryCode,
  categories: z._default(
    z
      .array(
        z.discriminatedUnion("type", [
          z.strictObject({ type: z.literal("friendship-city") }),
          z
            .strictObject({ type: z.literal("anmc21-member"), joined: IsoDate, withdrew: z.optional(IsoDate) })
            .check(z.refine((m) => !m.withdrew || m.withdrew >= m.joined, { path: ["withdrew"] })),
          z.strictObject({
            type: z.literal("olympic-host"),
            games: z
              .array(z.strictObject({ season: z.enum(["summer", "winter"]), year }))
              .check(z.minLength(1), z.maxLength(10)),
          }),
          z.strictObject({ type: z.literal("global-ranking"), ranking: Text(120), year }),
        ]),
      )
      .check(
        z.maxLength(10),
        uniqueBy((c: { type: string }) => c.type, "category"),
      ),
    [],
  ),
  relation: z.optional(
    z
      .strictObject({ status: z.enum(["prospect", "engaging", "established", "dormant"]), since: IsoDate })
      .check(z.refine((r) => r.status !== "established", { path: ["status"] })),
  ),
  cooperationAreas: z._default(
    z.array(z.enum(["waterworks", "sewerage", "culture", "tourism", "sport"])).check(
      z.maxLength(20),
      uniqueBy((a: string) => a, "area"),
    ),
    [],
  ),
  contacts: z._default(z.array(z.strictObject(PartnerContact.shape)).check(z.maxLength(5)), []),
});

/** Like visit-scheduling's ConferenceInput: a plain union and refinements that need or forbid a field. */
const ConferenceInput = z
  .strictObject({
    name: BilingualText,
    city: z.union([z.strictObject({ partnerId: PartnerId }), z.strictObject({ name: BilingualText })]),
    startDate: IsoDate,
    endDate: IsoDate,
    role: z.enum(["participate", "host", "bid"]),
    bidDeadline: z.optional(IsoDate),
    visitIds: z._default(z.array(z.uuid()).check(z.maxLength(20)), []),
  })
  .check(
    z.refine((c) => c.endDate >= c.startDate, { path: ["endDate"] }),
    z.refine((c) => c.role !== "bid" || c.bidDeadline !== undefined, { path: ["bidDeadline"] }),
    z.refine((c) => c.role === "bid" || c.bidDeadline === undefined, { path: ["bidDeadline"] }),
  );

/** Like fund-ledger's hold request: the contracts' value types, strict. */
const HoldRequest = z.strictObject({
  reference: HoldReference,
  programme: ProgrammeId,
  fiscalYear: FiscalYearNumber,
  amountYen: YenAmount,
  description: BilingualText,
  expiresOn: z.optional(IsoDate),
});

/** Like lambda-kit's PagingQuery in a list route's query: coerced, defaulted, optional, patterned. */
const ListQuery = z.object({
  from: z.optional(IsoDate),
  partnerId: z.optional(PartnerId),
  status: z.optional(z.enum(["proposed", "approved", "confirmed"])),
  country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/))),
  sort: z._default(z.enum(["id", "priority"]), "id"),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});
const VisitParams = z.object({ id: z.uuid() });
const PlanParams = z.object({ fiscalYear: z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100)) });

/** Classic zod, as some schemas are written. */
const Classic = zc
  .object({
    email: zc.email(),
    nickname: zc.string().trim().min(2).max(30),
    age: zc.number().int().positive().max(150),
    ratio: zc.number().multipleOf(0.5).min(-10).max(10),
    tags: zc.array(zc.string().regex(/^[a-z]{1,8}$/)).max(5),
    settings: zc.record(zc.string(), zc.boolean()),
    note: zc.string().nullable(),
    at: zc.iso.datetime(),
    kind: zc.literal(["a", "b"]),
  })
  .strict();

// ─── what each schema must offer ─────────────────────────────────────────────────────────────────────────────────────

const STRING: BreakKind[] = ["too-long", "huge-string", "too-short", "pattern", "control-char"];
const NUMBER: BreakKind[] = ["too-big", "too-small", "not-integer"];
const CONTAINER: BreakKind[] = ["wrong-type", "null", "missing"];
const LISTS: BreakKind[] = ["too-many-items", "huge-array", "too-few-items"];

const BODIES: { name: string; schema: core.$ZodType; kinds: BreakKind[] }[] = [
  { name: "contracts PartnerId", schema: PartnerId, kinds: ["wrong-type", "null", ...STRING] },
  { name: "contracts IsoDate", schema: IsoDate, kinds: ["wrong-type", "null", "pattern", "control-char"] },
  {
    name: "contracts Email",
    schema: Email,
    kinds: ["wrong-type", "null", "too-long", "huge-string", "pattern", "control-char"],
  },
  { name: "contracts Text", schema: Text(500), kinds: ["wrong-type", "null", "too-long", "huge-string", "too-short"] },
  { name: "contracts Money", schema: Money, kinds: [...CONTAINER, ...NUMBER, "not-in-enum"] },
  { name: "contracts PartnerContact", schema: PartnerContact, kinds: [...CONTAINER, ...STRING, "not-in-enum"] },
  {
    name: "contracts FundHoldRequested",
    schema: FundHoldRequested.detail,
    kinds: [...CONTAINER, ...STRING, ...NUMBER],
  },
  {
    name: "contracts VisitCompleted",
    schema: VisitCompleted.detail,
    kinds: [...CONTAINER, ...STRING, "not-in-enum", "too-few-items"],
  },
  {
    name: "VisitInput",
    schema: VisitInput,
    kinds: [...CONTAINER, "extra-key", ...STRING, ...NUMBER, "not-in-enum", ...LISTS],
  },
  {
    name: "VisitPatch",
    schema: VisitPatch,
    kinds: [...CONTAINER, "extra-key", ...STRING, ...NUMBER, "not-in-enum", ...LISTS],
  },
  {
    name: "PartnerInput",
    schema: PartnerInput,
    kinds: [...CONTAINER, "extra-key", ...STRING, ...NUMBER, "not-in-enum", ...LISTS],
  },
  {
    name: "ConferenceInput",
    schema: ConferenceInput,
    kinds: [...CONTAINER, "extra-key", ...STRING, "not-in-enum", "too-many-items", "huge-array"],
  },
  { name: "HoldRequest", schema: HoldRequest, kinds: [...CONTAINER, "extra-key", ...STRING, ...NUMBER] },
  {
    name: "ListQuery",
    schema: ListQuery,
    kinds: ["wrong-type", "null", ...STRING, ...NUMBER, "nan-string", "not-in-enum"],
  },
  {
    name: "classic zod",
    schema: Classic,
    kinds: [...CONTAINER, "extra-key", ...STRING, ...NUMBER, "not-multiple", "not-in-enum", "too-many-items"],
  },
];

const PARTS: { name: string; schema: core.$ZodType; kinds: BreakKind[] }[] = [
  { name: "list query", schema: ListQuery, kinds: [...STRING, ...NUMBER, "nan-string", "not-in-enum"] },
  { name: "uuid path", schema: VisitParams, kinds: ["missing", "pattern", "control-char"] },
  { name: "coerced path", schema: PlanParams, kinds: ["missing", ...NUMBER, "nan-string"] },
];

const RUNS = 200;

/** The guarantee, checked here against zod's issues directly rather than through breakIsReported. */
function reportedAt(issues: readonly core.$ZodIssue[], path: Path): boolean {
  return issues.some((issue) => {
    const at = issue.path as Path;
    if (path.every((p, i) => at[i] === p)) return true;
    return (
      issue.code === "unrecognized_keys" &&
      at.length === path.length - 1 &&
      at.every((p, i) => path[i] === p) &&
      issue.keys.includes(String(path[path.length - 1]))
    );
  });
}

function checkBreaks<T extends Broken>(schema: core.$ZodType, arb: fc.Arbitrary<T>, kinds: BreakKind[]) {
  const seen = new Map<string, number>();
  fc.assert(
    fc.property(arb, (broken) => {
      seen.set(broken.how, (seen.get(broken.how) ?? 0) + 1);
      const result = safeParse(schema, broken.value);
      expect(result.success).toBe(false);
      expect(reportedAt(result.error?.issues ?? [], broken.path)).toBe(true);
    }),
    { numRuns: RUNS },
  );
  expect(kinds.filter((kind) => !seen.has(kind))).toEqual([]);
  return seen;
}

const rejectionRate = (stats: { accepted: number; rejected: number }) =>
  stats.rejected / Math.max(1, stats.accepted + stats.rejected);

describe.each(BODIES)("$name", ({ schema, kinds }) => {
  it(`every valid value passes safeParse (${RUNS} runs), the final guard rejecting under 2 %`, () => {
    fc.assert(
      fc.property(validValue(schema), (value) => {
        expect(safeParse(schema, value).success).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(rejectionRate(guardStats(schema).valid)).toBeLessThan(0.02);
  });

  it(`every broken value fails with an issue at its path (${RUNS} runs), reaching every kind of break`, () => {
    checkBreaks(schema, brokenValue(schema), kinds);
    expect(rejectionRate(guardStats(schema).broken)).toBeLessThan(0.1);
  });
});

describe.each(PARTS)("$name in string form", ({ schema, kinds }) => {
  it(`valid parts are all strings and pass (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(validStringRecord(schema), (record) => {
        expect(Object.values(record).every((v) => typeof v === "string")).toBe(true);
        expect(safeParse(schema, record).success).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it(`broken parts are all strings and fail at their path (${RUNS} runs), reaching every kind`, () => {
    const seen = checkBreaks(schema, brokenStringRecord(schema), kinds);
    expect(seen.has("wrong-type") || seen.has("null")).toBe(false);
    expect(rejectionRate(guardStats(schema).strings)).toBeLessThan(0.1);
  });
});

describe("hostile but valid content", () => {
  const sample = <T>(arb: fc.Arbitrary<T>, numRuns = 400) => fc.sample(arb, { numRuns, seed: 42 });
  const cps = (s: string) => [...s];

  it("reaches both length bounds, every plane and script family, within the limits", () => {
    const texts = sample(validValue(Text(60))) as string[];
    const lengths = texts.map((t) => cps(t).length);
    expect(Math.min(...lengths)).toBe(1);
    expect(Math.max(...lengths)).toBe(60);
    const all = texts.join("");
    expect(all).toMatch(/[\u{10000}-\u{10ffff}]/u); // astral
    expect(all).toMatch(/[\u4e00-\u9fff]/); // CJK
    expect(all).toMatch(/[\u0590-\u06ff\u202e\u2067]/); // RTL
    expect(all).toMatch(/[\u0300-\u036f]/); // combining marks
    expect(all).toMatch(/[\u{1f300}-\u{1faff}]/u); // emoji
    expect([...all].some((c) => c.charCodeAt(0) < 0x20)).toBe(true); // C0 controls
    expect(all).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/); // no lone surrogate
    const ids = sample(validValue(PartnerId)) as string[];
    expect(ids.some((id) => id.length === 2)).toBe(true);
    expect(ids.some((id) => id.length === 64)).toBe(true);
  });

  it("reaches numbers' and lists' bounds, and hostile extra keys on non-strict objects", () => {
    const priorities = sample(validValue(visitFields.priority)) as number[];
    expect(new Set(priorities)).toEqual(new Set([1, 2, 3, 4, 5]));
    const yen = sample(validValue(Yen)) as number[];
    expect(yen).toContain(0);
    expect(yen).toContain(10_000_000_000);
    const lists = sample(validValue(visitFields.partnerIds), 200) as unknown[][];
    expect(lists.some((l) => l.length === 1)).toBe(true);
    expect(lists.some((l) => l.length === 10)).toBe(true);
    const contacts = sample(validValue(PartnerContact), 200) as Record<string, unknown>[];
    expect(contacts.some((c) => Object.hasOwn(c, "__proto__"))).toBe(true);
  });

  it("meets refinements across fields by construction, often with the related fields present", () => {
    const conferences = sample(validValue(ConferenceInput, { guard: false }), 300) as Record<string, unknown>[];
    expect(conferences.filter((c) => safeParse(ConferenceInput, c).success).length).toBeGreaterThanOrEqual(285);
    expect(conferences.some((c) => c.role === "bid" && c.bidDeadline !== undefined)).toBe(true);
    const visits = sample(validValue(VisitInput, { guard: false }), 200) as Record<string, unknown[]>[];
    expect(visits.filter((v) => safeParse(VisitInput, v).success).length).toBeGreaterThanOrEqual(190);
    expect(visits.some((v) => (v.itinerary?.length ?? 0) >= 2)).toBe(true);
  });
});

describe("strings few generated ones meet", () => {
  it("still generates valid ones when even the best generator's strings rarely pass (a pattern and a refinement)", () => {
    // About 1 in 30 strings `\d{2}-\d{2}` is a real day of the year: no candidate reaches 5%, and the best must serve.
    const realDay = z.string().check(
      z.regex(/^\d{2}-\d{2}$/),
      z.refine((monthDay) => !Number.isNaN(Date.parse(`2000-${monthDay}T00:00:00Z`)) && monthDay <= "12-31"),
    );
    const days = fc.sample(validValue(realDay), { numRuns: 50, seed: 42 }) as string[];
    expect(days.every((day) => safeParse(realDay, day).success)).toBe(true);
    expect(new Set(days).size).toBeGreaterThan(10);
  });
});

describe("the guarantee's check", () => {
  it("refuses a valid value, a wrong path, and takes an unrecognized key named at its parent", () => {
    const value = { amountMinor: 5, currency: "JPY" };
    expect(breakIsReported(Money, { value, path: [], how: "none" })).toBe(false);
    const broken = { value: { amountMinor: 1.5, currency: "JPY" }, path: ["amountMinor"], how: "not-integer" };
    expect(breakIsReported(Money, broken)).toBe(true);
    expect(breakIsReported(Money, { ...broken, path: ["currency"] })).toBe(false);
    const strict = z.strictObject({ a: z.string() });
    expect(breakIsReported(strict, { value: { a: "x", b: 1 }, path: ["b"], how: "extra-key" })).toBe(true);
    expect(breakIsReported(strict, { value: { a: "x", b: 1 }, path: ["c"], how: "extra-key" })).toBe(false);
  });

  it("a huge string is huge", () => {
    const huge = fc
      .sample(brokenValue(Text(500)), { numRuns: 200, seed: 7 })
      .filter((b) => b.how === "huge-string") as { value: string }[];
    expect(huge.length).toBeGreaterThan(0);
    for (const b of huge) expect([...b.value].length).toBeGreaterThanOrEqual(HUGE_STRING_LENGTH);
  });
});

describe("what is not supported says so", () => {
  it("throws UnsupportedSchemaError naming the path", () => {
    expect(() => validValue(z.object({ when: z.symbol() }))).toThrow(UnsupportedSchemaError);
    expect(() => validValue(z.object({ when: z.symbol() }))).toThrow(/\.when/);
    expect(() => fc.sample(brokenValue(z.unknown()), 1)).toThrow(UnsupportedSchemaError);
  });
});

describe("string forms and encoding", () => {
  it("turns values into the gateway's strings", () => {
    expect(stringForm(7)).toBe("7");
    expect(stringForm(-0.5)).toBe("-0.5");
    expect(stringForm(true)).toBe("true");
    expect(stringForm(["a", 1])).toBe("a,1");
    expect(stringForm(null)).toBeUndefined();
    expect(toStringRecord({ limit: 5, cursor: undefined, ids: ["x", "y"], none: null })).toEqual({
      limit: "5",
      ids: "x,y",
    });
  });

  it("hostile strings hold what they promise", () => {
    const strings = fc.sample(hostileStrings(), { numRuns: 400, seed: 3 });
    const has = (test: (s: string) => boolean) => strings.some(test);
    for (const fragment of ["/", "%00", "..", "%2F", "\u0000"]) expect(has((s) => s.includes(fragment))).toBe(true);
    expect(has((s) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s))).toBe(true);
    expect(has((s) => s.length >= 8192)).toBe(true);
    const planes = new Set(strings.flatMap((s) => [...s.slice(0, 200)].map((c) => (c.codePointAt(0) ?? 0) >> 16)));
    expect([...planes].sort((a, b) => a - b)).toEqual(Array.from({ length: 17 }, (_, i) => i));
  });

  it("encodePathSegment and encodeQuery never throw, stay URL-safe, and round-trip well-formed strings", () => {
    fc.assert(
      fc.property(hostileStrings({ long: false }), hostileStrings({ long: false }), (a, b) => {
        const segment = encodePathSegment(a);
        expect(segment).toMatch(/^[A-Za-z0-9\-._~%]*$/);
        const wellFormed = !/[\ud800-\udfff]/.test(a.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""));
        if (wellFormed && a !== "." && a !== "..") expect(decodeURIComponent(segment)).toBe(a);
        const query = encodeQuery({ [a]: b });
        expect(query).toMatch(/^[A-Za-z0-9\-._~%]*=[A-Za-z0-9\-._~%]*$/);
        const wellFormedB = !/[\ud800-\udfff]/.test(b.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""));
        if (wellFormed && wellFormedB) expect([...new URLSearchParams(query)]).toEqual([[a, b]]);
      }),
      { numRuns: 300 },
    );
    expect(encodePathSegment("..")).toBe("%2E%2E");
    expect(encodePathSegment("\ud800")).toBe("%ED%A0%80");
  });
});
