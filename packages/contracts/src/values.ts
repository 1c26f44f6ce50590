import { en } from "zod/locales";
import * as z from "zod/mini";
import type * as core from "zod/v4/core";

// zod/mini keeps bundles small (a third of classic zod) but ships no messages: load English once,
// here, where every schema of the platform starts.
z.config(en());

const slug = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A partner's id: a lower-case slug such as `new-york` or `new-south-wales`. */
export const PartnerId = z
  .string()
  .check(z.minLength(2), z.maxLength(64), z.regex(slug, "must be a lower-case slug such as new-york"));
export type PartnerId = z.infer<typeof PartnerId>;

/** ISO 3166-1 alpha-2 country code, upper case. */
export const CountryCode = z.string().check(z.regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as JP"));
export type CountryCode = z.infer<typeof CountryCode>;

/** Free text shown to people: trimmed, never empty. */
export const Text = (max = 500) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** Text shown to people is always bilingual; both languages are authentic. */
export const BilingualText = z.object({ ja: Text(), en: Text() });
export type BilingualText = z.infer<typeof BilingualText>;

export const Language = z.enum(["ja", "en"]);
export type Language = z.infer<typeof Language>;

function isRealDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** A calendar date `YYYY-MM-DD` (business calendar: Asia/Tokyo). */
export const IsoDate = z
  .string()
  .check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD"),
    z.refine(isRealDate, "must be a real calendar date"),
  );
export type IsoDate = z.infer<typeof IsoDate>;

/** An instant with its offset, ISO 8601. */
export const IsoDateTime = z.iso.datetime({ offset: true });
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/**
 * The days the platform plans for: fiscal years 2000–2099 (FiscalYearNumber), 2000-04-01 to 2100-03-31. What is
 * planned counts against a fiscal year's quota, budget or fund, and a date near 0000 or 9999 would leave the
 * four-digit years once days are added to it or it is moved to Tokyo.
 */
export const PLANNED_DAYS = { first: "2000-04-01", last: "2100-03-31" } as const;
const PLANNED_YEARS = `within fiscal years 2000–2099 (${PLANNED_DAYS.first} to ${PLANNED_DAYS.last})`;

/** A date something is planned for (a placement's start or end): within PLANNED_DAYS. */
export const PlannedDate = IsoDate.check(
  z.refine((date) => date >= PLANNED_DAYS.first && date <= PLANNED_DAYS.last, `must be ${PLANNED_YEARS}`),
);

const FIRST_PLANNED_MS = Date.parse(`${PLANNED_DAYS.first}T00:00:00+09:00`);
const AFTER_LAST_PLANNED_MS = Date.parse(`${PLANNED_DAYS.last}T00:00:00+09:00`) + 86_400_000;

/** An instant something is planned for (a call's start), at any offset: its Tokyo date within PLANNED_DAYS. */
export const PlannedInstant = IsoDateTime.check(
  z.refine((value) => {
    const at = Date.parse(value);
    return at >= FIRST_PLANNED_MS && at < AFTER_LAST_PLANNED_MS;
  }, `must be, in Tokyo, ${PLANNED_YEARS}`),
);

/** ISO 4217 minor-unit exponents of the currencies the platform handles. */
export const CURRENCY_EXPONENT = { JPY: 0, USD: 2, EUR: 2, GBP: 2, AUD: 2, CNY: 2, KRW: 0 } as const;
export const CurrencyCode = z.enum(Object.keys(CURRENCY_EXPONENT) as [keyof typeof CURRENCY_EXPONENT]);
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/** Money in integer minor units (JPY has exponent 0: whole yen). */
export const Money = z.object({ amountMinor: z.int(), currency: CurrencyCode });
export type Money = z.infer<typeof Money>;

export const Email = z.email().check(z.maxLength(254));

/** The roles of the platform, carried in the `cognito:groups` claim. */
export const ALL_ROLES = [
  "viewer",
  "international-affairs",
  "protocol",
  "exchange-coordinator",
  "fund-manager",
  "fund-approver",
  "auditor",
  "admin",
] as const;
export const Role = z.enum(ALL_ROLES);
export type Role = z.infer<typeof Role>;

/**
 * Orders strings by UTF-16 code units: the same everywhere, and free. `localeCompare` and `Intl` load ICU
 * data on first use (20–30 ms of a cold start), and ids, slugs and ISO dates need no locale anyway.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whole yen with thousands separators (`1,234,567`), without `Intl` (see compareCodeUnits). */
export function formatYen(amount: number): string {
  const digits = String(Math.abs(Math.round(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return amount < 0 ? `-${digits}` : digits;
}

/**
 * A list check naming each repeated entry by its index: a list whose entries become items or keys of one write
 * (partners of a visit, categories of a partner) may not name one twice.
 */
export const uniqueBy = <T>(key: (item: T) => string, what: string) =>
  z.superRefine((items: T[], ctx: core.$RefinementCtx<T[]>) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: "custom", message: `duplicate ${what} ${k}`, path: [index], input: item });
      seen.add(k);
    });
  });
