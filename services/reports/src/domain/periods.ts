import { addDays, daysBetween, ENGLISH_MONTHS, fiscalYearOf } from "@cdp/contracts";
import type { Bilingual, ReportPeriod } from "./report-model.ts";

/**
 * Report periods: a month, a fiscal year to date, or any from/to, each with its bilingual label. Dates are
 * `YYYY-MM-DD` in Asia/Tokyo. No Intl: month names are spelled out here (see compareCodeUnits in contracts).
 */

/** The longest period a report covers: five fiscal years. */
export const MAX_PERIOD_DAYS = 5 * 366;

function parts(date: string): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

function lastDayOfMonth(date: string): string {
  const { year, month } = parts(date);
  const yyyy = (value: number) => String(value).padStart(4, "0");
  const next = month === 12 ? `${yyyy(year + 1)}-01-01` : `${yyyy(year)}-${String(month + 1).padStart(2, "0")}-01`;
  return addDays(next, -1);
}

function japaneseDate(date: string): string {
  const { year, month, day } = parts(date);
  return `${year}年${month}月${day}日`;
}

function englishDate(date: string): string {
  const { year, month, day } = parts(date);
  return `${day} ${ENGLISH_MONTHS[month - 1]} ${year}`;
}

/** The calendar month before the one `today` is in: what the monthly report on the 1st covers. */
export function previousMonth(today: string): { from: string; to: string } {
  const to = addDays(`${today.slice(0, 7)}-01`, -1);
  return { from: `${to.slice(0, 7)}-01`, to };
}

export function fiscalYearStart(date: string): string {
  return `${fiscalYearOf(date)}-04-01`;
}

export function fiscalYearEnd(date: string): string {
  return `${fiscalYearOf(date) + 1}-03-31`;
}

/** The label says what kind of period it is: a whole month, a fiscal year to date, or a range. */
export function periodOf(from: string, to: string): ReportPeriod {
  const start = parts(from);
  let label: Bilingual;
  if (start.day === 1 && to === lastDayOfMonth(from)) {
    label = { ja: `${start.year}年${start.month}月`, en: `${ENGLISH_MONTHS[start.month - 1]} ${start.year}` };
  } else if (from === fiscalYearStart(to)) {
    const fiscalYear = fiscalYearOf(to);
    const end = parts(to);
    label = {
      ja: `${fiscalYear}年度（${end.month}月${end.day}日まで）`,
      en: `FY${fiscalYear} to ${englishDate(to)}`,
    };
  } else {
    label = { ja: `${japaneseDate(from)}〜${japaneseDate(to)}`, en: `${englishDate(from)} – ${englishDate(to)}` };
  }
  return { from, to, label };
}

/** Why a period cannot be reported on, or null when it can. */
export function periodProblem(from: string, to: string): string | null {
  if (to < from) return "must not be before from";
  if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) return `a report covers at most ${MAX_PERIOD_DAYS} days`;
  return null;
}

/** Every fiscal year a period touches, oldest first. */
export function fiscalYearsOf(from: string, to: string): number[] {
  const years: number[] = [];
  for (let year = fiscalYearOf(from); year <= fiscalYearOf(to); year++) years.push(year);
  return years;
}
