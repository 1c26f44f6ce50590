import { stringify } from "csv-stringify/sync";
import type { ReportModel } from "../domain/report-model.ts";
import { bilingualText } from "./format.ts";
import { type ReportCell, type ReportTable, reportTables } from "./tables.ts";

/**
 * The report as one CSV file: every table of `reportTables` as a block of a title row (section, table), a
 * header row and the data rows, with a blank row between blocks. UTF-8 with a BOM, because Excel in Japan
 * reads a CSV without one as Shift_JIS; CRLF line ends and RFC 4180 quoting.
 */
export function renderCsv(model: ReportModel): Buffer {
  const records = reportTables(model).flatMap((table, index) => [...(index === 0 ? [] : [[]]), ...csvBlock(table)]);
  return Buffer.from(
    stringify(records, {
      bom: true,
      record_delimiter: "windows",
      // Given a `record_delimiter`, csv-stringify stops quoting cells that hold a lone `\n` or `\r` unless told
      // to: such a cell would split its row in two.
      quote_record_delimiter: true,
      // Formula injection (OWASP "CSV Injection"): a text cell that begins with `=`, `+`, `-`, `@`, a tab or a
      // carriage return (or their full-width forms, which some spreadsheets normalise) gets a leading `'`, so a
      // spreadsheet shows it as text instead of running it. Only text cells: yen and counts reach csv-stringify
      // as numbers and are written plainly, so a negative number (days overdue) stays a number a spreadsheet can
      // add up, and cannot carry a formula anyway.
      escape_formulas: true,
    }),
    "utf8",
  );
}

function csvBlock(table: ReportTable): ReportCell[][] {
  return [
    [bilingualText(table.section), bilingualText(table.title)],
    table.columns.map((column) => bilingualText(column.header)),
    ...table.rows.map((row) => [...row]),
  ];
}
