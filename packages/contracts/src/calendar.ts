/**
 * Calendar arithmetic on `YYYY-MM-DD` strings, shared by every service that plans in days. Dates are
 * calendar days, not instants, so the arithmetic runs in UTC where every day has 24 hours: no time
 * zone or daylight saving can shift a day. No Intl (see compareCodeUnits).
 */

const MS_PER_DAY = 86_400_000;
const TOKYO_OFFSET_MS = 9 * 3600 * 1000;

function dayNumber(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a date YYYY-MM-DD: ${date}`);
  return ms / MS_PER_DAY;
}

function dateOfDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The date `days` calendar days after `date` (before it when negative): 2027-02-28 + 1 = 2027-03-01. */
export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** How many days `to` lies after `from`: 0 for the same day, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Every date from `start` to `end`, both included; empty when `end` is before `start`. */
export function eachDay(start: string, end: string): string[] {
  const first = dayNumber(start);
  const count = dayNumber(end) - first + 1;
  return Array.from({ length: Math.max(0, count) }, (_, offset) => dateOfDayNumber(first + offset));
}

const ISO_DATE = /^(\d{4})-(\d{2})-\d{2}$/;

/**
 * Fiscal years run April 1 to March 31 (Local Autonomy Act) and are named by the year they start in:
 * FY2026 is 2026-04-01 to 2027-03-31.
 */
export function fiscalYearOf(date: string): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not a date YYYY-MM-DD: ${date}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  return month >= 4 ? year : year - 1;
}

/** The calendar date in Tokyo at an instant. */
export function tokyoDate(at: Date): string {
  return new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** English month names, for dates written out in bilingual text (no Intl: see compareCodeUnits). */
export const ENGLISH_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;
