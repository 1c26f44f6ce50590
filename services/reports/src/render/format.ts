import { ENGLISH_MONTHS, formatYen } from "@cdp/contracts";
import type { Bilingual } from "../domain/report-model.ts";

/**
 * How every format writes dates, times, amounts and bilingual text: one place, so that a date reads the same in
 * the HTML, the PDF and the workbook's cover, and a timestamp is in Tokyo time wherever it appears. Without
 * `Intl`, which loads ICU data on first use: the report's dates are ISO strings and Tokyo keeps no summer time.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` date for readers: `2026年11月9日` / `9 November 2026`; anything else as it is. */
export function formatDate(isoDate: string): Bilingual {
  const match = ISO_DATE.exec(isoDate);
  const month = match ? ENGLISH_MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || !month) return { ja: isoDate, en: isoDate };
  const [, year, monthDigits, dayDigits] = match;
  const day = Number(dayDigits);
  return { ja: `${year}年${Number(monthDigits)}月${day}日`, en: `${day} ${month} ${year}` };
}

/** `2026年11月9日〜14日` / `9–14 November 2026`: the year and month are not repeated. */
export function formatDateRange(from: string, to: string): Bilingual {
  const start = ISO_DATE.exec(from);
  const end = ISO_DATE.exec(to);
  const first = formatDate(from);
  const last = formatDate(to);
  if (from === to) return first;
  if (!start || !end) return { ja: `${first.ja}〜${last.ja}`, en: `${first.en} – ${last.en}` };
  const [, startYear, startMonth, startDay] = start;
  const [, endYear, endMonth, endDay] = end;
  const startMonthEn = ENGLISH_MONTHS[Number(startMonth) - 1];
  const endMonthEn = ENGLISH_MONTHS[Number(endMonth) - 1];
  if (startYear === endYear && startMonth === endMonth) {
    return {
      ja: `${startYear}年${Number(startMonth)}月${Number(startDay)}日〜${Number(endDay)}日`,
      en: `${Number(startDay)}–${Number(endDay)} ${endMonthEn} ${endYear}`,
    };
  }
  if (startYear === endYear) {
    return {
      ja: `${startYear}年${Number(startMonth)}月${Number(startDay)}日〜${Number(endMonth)}月${Number(endDay)}日`,
      en: `${Number(startDay)} ${startMonthEn} – ${Number(endDay)} ${endMonthEn} ${endYear}`,
    };
  }
  return { ja: `${first.ja}〜${last.ja}`, en: `${first.en} – ${last.en}` };
}

const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

interface TokyoTime {
  readonly date: string;
  readonly hours: number;
  readonly minutes: string;
}

/** An instant's date and time in Tokyo, whatever offset it was written with; null when it is not a timestamp. */
function inTokyo(isoDateTime: string): TokyoTime | null {
  const instant = Date.parse(isoDateTime);
  if (Number.isNaN(instant)) return null;
  const tokyo = new Date(instant + TOKYO_OFFSET_MS);
  return {
    date: tokyo.toISOString().slice(0, 10),
    hours: tokyo.getUTCHours(),
    minutes: String(tokyo.getUTCMinutes()).padStart(2, "0"),
  };
}

/** An instant for readers, in Tokyo time: `2026年12月1日 6:00` / `1 December 2026, 06:00 JST`; else as it is. */
export function formatDateTime(isoDateTime: string): Bilingual {
  const tokyo = inTokyo(isoDateTime);
  if (!tokyo) return { ja: isoDateTime, en: isoDateTime };
  const day = formatDate(tokyo.date);
  return {
    ja: `${day.ja} ${tokyo.hours}:${tokyo.minutes}`,
    en: `${day.en}, ${String(tokyo.hours).padStart(2, "0")}:${tokyo.minutes} JST`,
  };
}

/**
 * An instant for a spreadsheet cell, in Tokyo time: `2026-12-01 06:00`, which sorts as text and which a
 * spreadsheet reads as a date and time; anything unparseable as it is.
 */
export function tokyoDateTime(isoDateTime: string): string {
  const tokyo = inTokyo(isoDateTime);
  if (!tokyo) return isoDateTime;
  return `${tokyo.date} ${String(tokyo.hours).padStart(2, "0")}:${tokyo.minutes}`;
}

/** An amount of yen for readers: `¥27,850,000` (the same in both languages). */
export function formatAmount(yen: number): string {
  return `¥${formatYen(yen)}`;
}

/** A count for readers, grouped in thousands like yen (`formatYen` is the repo's Intl-free grouping). */
export function formatCount(count: number): string {
  return formatYen(count);
}

/** Both languages in one line or cell, `日本語 / English`; once when they are the same ("ID"). */
export function bilingualText(text: Bilingual): string {
  return text.ja === text.en ? text.ja : `${text.ja} / ${text.en}`;
}
