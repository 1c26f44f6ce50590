import { type BilingualText, compareCodeUnits } from "@cdp/contracts";
import * as z from "zod/mini";
import type { Hospitality } from "./hospitality.ts";

/**
 * The monthly public list of the governor's hospitality spending: date, occasion, counterpart and amount of
 * every hospitality the governor hosted in the month and did not cancel, as JSON and as CSV. Nothing else of a
 * record is published: no guest, venue, cost line or internal id (principal guests are public figures, but the
 * list names only the counterpart they came with).
 *
 * The CSV is one table a spreadsheet and a program can both read: a header row, a row per hospitality and a
 * final total row. Japanese and English each get a column of their own (one value per cell, as open data wants,
 * and no separator to mistake for part of a name); each header gives Japanese first, then English. Dates are
 * ISO 8601 (`2027-03-05`), which both languages read and which sorts; amounts are plain integers.
 */

/** A month `YYYY-MM`. */
export const YearMonth = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM"));

export interface HospitalityListRow {
  /** Kept for the office's own view (links to the record); the public forms leave it out. */
  readonly hospitalityId: string;
  readonly date: string;
  readonly occasion: BilingualText;
  readonly counterpart: BilingualText;
  readonly amountYen: number;
}

export interface HospitalityList {
  readonly month: string;
  readonly rows: readonly HospitalityListRow[];
  readonly totalYen: number;
  readonly count: number;
}

/** The list as published in JSON. */
export interface PublicHospitalityList {
  readonly month: string;
  readonly rows: readonly {
    readonly date: string;
    readonly occasion: BilingualText;
    readonly counterpart: BilingualText;
    readonly amountYen: number;
  }[];
  readonly totalYen: number;
  readonly count: number;
}

/** The governor's hospitality in `month` (dates are Tokyo calendar dates), cancelled records left out. */
export function hospitalityListOf(records: readonly Hospitality[], month: string): HospitalityList {
  if (!z.safeParse(YearMonth, month).success) throw new RangeError(`not a month YYYY-MM: ${month}`);
  const rows = records
    .filter(
      (record) => record.host === "governor" && record.status === "recorded" && record.date.startsWith(`${month}-`),
    )
    // By date, then by id: the same records always give the same list, byte for byte.
    .sort((a, b) => compareCodeUnits(a.date, b.date) || compareCodeUnits(a.id, b.id))
    .map(
      (record): HospitalityListRow => ({
        hospitalityId: record.id,
        date: record.date,
        occasion: { ja: record.occasion.ja, en: record.occasion.en },
        counterpart: { ja: record.counterpart.name.ja, en: record.counterpart.name.en },
        amountYen: record.costYen,
      }),
    );
  const totalYen = rows.reduce((total, row) => total + row.amountYen, 0);
  return { month, rows, totalYen, count: rows.length };
}

export function toPublicJson(list: HospitalityList): PublicHospitalityList {
  return {
    month: list.month,
    rows: list.rows.map(({ date, occasion, counterpart, amountYen }) => ({ date, occasion, counterpart, amountYen })),
    totalYen: list.totalYen,
    count: list.count,
  };
}

export const CSV_HEADER = [
  "年月日 / Date",
  "用務（日本語） / Occasion (Japanese)",
  "用務（英語） / Occasion (English)",
  "相手方（日本語） / Counterpart (Japanese)",
  "相手方（英語） / Counterpart (English)",
  "金額（円） / Amount (yen)",
] as const;

export const CSV_TOTAL_LABEL = "合計 / Total";

/**
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@`
 * (some also a tab or a carriage return, or the full-width forms they normalise). A leading `'` makes it text.
 */
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/** A text cell, safe to open in a spreadsheet. Numbers never pass here: they stay numbers a sheet can add. */
export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field holding a quote, a comma or a line break is quoted, its quotes doubled. */
function quoted(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

type Cell = string | number;

function csvLine(cells: readonly Cell[]): string {
  return cells.map((cell) => quoted(typeof cell === "number" ? String(cell) : escapeFormula(cell))).join(",");
}

/**
 * The list as CSV text: a byte order mark first, because Excel in Japan reads a CSV without one as Shift_JIS,
 * and CRLF after every record (RFC 4180). Encode it as UTF-8 to serve it.
 */
export function toPublicCsv(list: HospitalityList): string {
  const lines = [
    CSV_HEADER,
    ...list.rows.map((row) => [
      row.date,
      row.occasion.ja,
      row.occasion.en,
      row.counterpart.ja,
      row.counterpart.en,
      row.amountYen,
    ]),
    [CSV_TOTAL_LABEL, "", "", "", "", list.totalYen],
  ];
  return `\uFEFF${lines.map((cells) => `${csvLine(cells)}\r\n`).join("")}`;
}
