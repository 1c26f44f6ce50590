/**
 * Calendar arithmetic on `YYYY-MM-DD` strings. A visit's dates are calendar days, not instants, so the
 * arithmetic runs in UTC where every day has 24 hours: no time zone or daylight saving can shift a day.
 */

const MS_PER_DAY = 86_400_000;

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
