import ExcelJS from "exceljs";
import type { ReportModel } from "../domain/report-model.ts";
import { bilingualText, formatDateRange, formatDateTime } from "./format.ts";
import { ISSUER, REPORT_FACTS, SECTION_TITLES, WORDS } from "./labels.ts";
import {
  type ColumnKind,
  REPORT_SECTION_IDS,
  type ReportCell,
  type ReportSectionId,
  type ReportTable,
  reportTables,
} from "./tables.ts";

/**
 * The report as an Excel workbook: a cover sheet, then a sheet per section holding that section's tables of
 * `reportTables` one under another (title row, header row, data rows). Yen and counts are numeric cells with a
 * number format, so they add up; dates are real dates shown as `yyyy-mm-dd`, so they sort and filter by date.
 *
 * Text is written as string cells, never as formulas: exceljs only makes a formula of a `{ formula }` object,
 * so a name like `=HYPERLINK(…)` is stored as the text it is, without the `'` that the CSV needs.
 */

export const COVER_SHEET_NAME = "表紙 Cover";
/** Short enough for Excel (31 characters, none of `[]:*?/\`), in both languages. */
export const SECTION_SHEET_NAMES: Record<ReportSectionId, string> = {
  relations: "1 関係 Relations",
  visits: "2 訪問 Visits",
  exchanges: "3 交流 Exchanges",
  fund: "4 基金 Fund",
  attention: "5 要対応 Attention",
};

export const NUMBER_FORMATS: Record<Exclude<ColumnKind, "text">, string> = {
  yen: '"¥"#,##0',
  count: "#,##0",
  date: "yyyy-mm-dd",
};

const CREATOR = `${ISSUER.ja} ${ISSUER.en}`;
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FF8EA9C1" } };
const MUTED = { argb: "FF595959" };
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

export async function renderXlsx(model: ReportModel): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const generatedAt = new Date(model.generatedAt);
  workbook.creator = CREATOR;
  workbook.lastModifiedBy = CREATOR;
  workbook.title = `${model.title.ja}（${model.period.label.ja}） ${model.title.en}, ${model.period.label.en}`;
  workbook.subject = bilingualText(model.period.label);
  // Set both: exceljs stamps the time of writing on any it is not given, and the same model must give the same
  // properties.
  workbook.created = generatedAt;
  workbook.modified = generatedAt;

  const tables = reportTables(model);
  writeCover(addSheet(workbook, COVER_SHEET_NAME), model);
  for (const sectionId of REPORT_SECTION_IDS) {
    const sectionTables = tables.filter((table) => table.sectionId === sectionId);
    writeSection(addSheet(workbook, SECTION_SHEET_NAMES[sectionId]), sectionId, sectionTables);
  }

  const output = await workbook.xlsx.writeBuffer();
  return Buffer.isBuffer(output) ? output : Buffer.from(output);
}

function addSheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  // exceljs would truncate a long name with a warning, and Excel refuses the file for a bad character.
  if (name.length > 31 || /[[\]:*?/\\]/.test(name)) throw new Error(`Not a valid sheet name: ${name}`);
  return workbook.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
}

function writeCover(sheet: ExcelJS.Worksheet, model: ReportModel): void {
  sheet.getCell("A1").value = model.title.ja;
  sheet.getCell("A1").font = { bold: true, size: 16 };
  sheet.getCell("A2").value = model.title.en;
  sheet.getCell("A2").font = { bold: true, size: 13 };
  // Written as the HTML and the PDF write them: the cover is read, not sorted or added up.
  const facts: [string, string][] = [
    [bilingualText(REPORT_FACTS.period), bilingualText(model.period.label)],
    [bilingualText(REPORT_FACTS.dates), bilingualText(formatDateRange(model.period.from, model.period.to))],
    [bilingualText(REPORT_FACTS.generatedAt), bilingualText(formatDateTime(model.generatedAt))],
    [bilingualText(REPORT_FACTS.reportId), model.reportId],
  ];
  const contents = REPORT_SECTION_IDS.map((sectionId): [string, string] => [
    SECTION_SHEET_NAMES[sectionId],
    bilingualText(SECTION_TITLES[sectionId]),
  ]);
  let rowNumber = 4;
  for (const [label, value] of facts) {
    const row = sheet.getRow(rowNumber++);
    row.values = [label, value];
    row.getCell(1).font = { bold: true };
  }
  rowNumber++;
  sheet.getCell(rowNumber, 1).value = bilingualText(REPORT_FACTS.contents);
  sheet.getCell(rowNumber, 1).font = { bold: true };
  rowNumber++;
  for (const [sheetName, title] of contents) sheet.getRow(rowNumber++).values = [sheetName, title];
  const rows = [...facts, ...contents];
  sheet.getColumn(1).width = fitWidth(rows.map(([label]) => displayWidth(label)));
  sheet.getColumn(2).width = fitWidth(rows.map(([, value]) => displayWidth(value)));
}

function writeSection(sheet: ExcelJS.Worksheet, sectionId: ReportSectionId, tables: readonly ReportTable[]): void {
  const section = SECTION_TITLES[sectionId];
  sheet.getCell("A1").value = section.ja;
  sheet.getCell("A1").font = { bold: true, size: 14 };
  sheet.getCell("A2").value = section.en;
  sheet.getCell("A2").font = { bold: true, size: 12, color: MUTED };

  const widths: number[][] = [];
  const measure = (column: number, width: number) => {
    widths[column] ??= [];
    widths[column].push(width);
  };
  let rowNumber = 3;
  let firstHeaderRow: number | undefined;
  for (const table of tables) {
    const titleCell = sheet.getCell(rowNumber++, 1);
    titleCell.value = bilingualText(table.title);
    titleCell.font = { bold: true, size: 12 };

    const header = sheet.getRow(rowNumber);
    firstHeaderRow ??= rowNumber;
    rowNumber++;
    header.height = 30; // Two lines, Japanese over English: Excel does not grow a row for wrapped text itself.
    table.columns.forEach((column, index) => {
      const cell = header.getCell(index + 1);
      cell.value = `${column.header.ja}\n${column.header.en}`;
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.border = { bottom: THIN };
      cell.alignment = { wrapText: true, vertical: "middle", horizontal: column.kind === "text" ? "left" : "center" };
      measure(index, Math.max(displayWidth(column.header.ja), displayWidth(column.header.en)));
    });

    if (table.rows.length === 0) {
      const noneCell = sheet.getCell(rowNumber++, 1);
      noneCell.value = bilingualText(WORDS.none);
      noneCell.font = { italic: true, color: MUTED };
    }
    table.rows.forEach((cells, rowIndex) => {
      const row = sheet.getRow(rowNumber++);
      const isTotal = table.totalRow && rowIndex === table.rows.length - 1;
      table.columns.forEach((column, index) => {
        const cell = row.getCell(index + 1);
        const value = cells[index] ?? null;
        cell.value = cellValue(column.kind, value);
        if (column.kind !== "text") cell.numFmt = NUMBER_FORMATS[column.kind];
        if (isTotal) {
          cell.font = { bold: true };
          cell.border = { top: THIN };
        }
        measure(index, shownWidth(column.kind, value));
      });
    });
    rowNumber++; // A blank row between tables.
  }

  widths.forEach((columnWidths, index) => {
    sheet.getColumn(index + 1).width = fitWidth(columnWidths);
  });
  // Frozen under the first table's header: it stays in view while its rows scroll; later tables bring their own.
  if (firstHeaderRow !== undefined) sheet.views = [{ state: "frozen", xSplit: 0, ySplit: firstHeaderRow }];
}

function cellValue(kind: ColumnKind, value: ReportCell): ExcelJS.CellValue {
  if (value === null) return null;
  if (kind === "date") return typeof value === "string" ? excelDate(value) : value;
  return value;
}

/** A `YYYY-MM-DD` date as midnight UTC: exceljs turns a `Date` into a day number in UTC. */
function excelDate(isoDate: string): Date {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate) || date.toISOString().slice(0, 10) !== isoDate) {
    throw new Error(`Not a YYYY-MM-DD date: ${isoDate}`);
  }
  return date;
}

function shownWidth(kind: ColumnKind, value: ReportCell): number {
  if (value === null) return 0;
  if (typeof value === "number") {
    const digits = value.toLocaleString("en-US", { maximumFractionDigits: 0 });
    return kind === "yen" ? digits.length + 1 : digits.length;
  }
  return displayWidth(value);
}

function fitWidth(widths: readonly number[]): number {
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, ...widths) + 2);
}

/** Width in Excel's character units: a full-width (CJK, kana, full-width form) character takes two. */
export function displayWidth(text: string): number {
  return Math.max(
    ...text.split("\n").map((line) => {
      let width = 0;
      for (const character of line) width += isWide(character.codePointAt(0) ?? 0) ? 2 : 1;
      return width;
    }),
  );
}

function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}
