import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api.d.ts";
import { beforeAll, describe, expect, it } from "vitest";
import { aReportModel } from "../domain/report-builders.ts";
import type { Bilingual } from "../domain/report-model.ts";
import { renderCsv } from "./csv.ts";
import { bilingualText } from "./format.ts";
import { renderHtml } from "./html.ts";
import { renderPdf } from "./pdf.ts";
import { type ReportTable, reportTables } from "./tables.ts";
import { renderXlsx, SECTION_SHEET_NAMES } from "./xlsx.ts";

/**
 * One vocabulary, every format the same: the sample report in HTML, PDF, XLSX and CSV shows every table of
 * `reportTables` under the same title, with the same column headers, and writes timestamps in Tokyo time.
 */

const model = aReportModel();
const tables = reportTables(model);

/** The text of an HTML fragment: tags dropped, entities decoded, spaces collapsed. */
function textOf(fragment: string): string {
  return fragment
    .replace(/<\/?(?:span|wbr|code)\b[^>]*>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** A header or title as the HTML shows it: Japanese, then English (once when they are the same). */
function shownInHtml(text: Bilingual): string {
  return text.ja === text.en ? text.ja : `${text.ja} ${text.en}`;
}

/** Text compared without white space: where a PDF wraps or spaces its text is layout, not content. */
function squeeze(text: string): string {
  return text.replace(/\s+/g, "");
}

async function pdfText(pdf: Buffer): Promise<string> {
  const loading = getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, disableFontFace: true });
  const doc = await loading.promise;
  const pages: string[] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const content = await (await doc.getPage(number)).getTextContent();
    pages.push(
      content.items
        .filter((item): item is TextItem => "str" in item)
        .map((item) => item.str)
        .join(""),
    );
  }
  await loading.destroy();
  return squeeze(pages.join(""));
}

interface Rendered {
  /** Each HTML table by its caption's text: its column headers' text. */
  readonly htmlTables: ReadonlyMap<string, readonly string[]>;
  readonly htmlText: string;
  readonly pdfText: string;
  readonly workbook: ExcelJS.Workbook;
  readonly csv: readonly string[][];
}

let rendered: Rendered;

beforeAll(async () => {
  const html = renderHtml(model);
  const htmlTables = new Map(
    [...html.matchAll(/<table>[\s\S]*?<\/table>/g)].map((match) => {
      const table = match[0];
      const caption = textOf(/<caption>([\s\S]*?)<\/caption>/.exec(table)?.[1] ?? "");
      const head = /<thead>([\s\S]*?)<\/thead>/.exec(table)?.[1] ?? "";
      const headers = [...head.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((cell) => textOf(cell[1] ?? ""));
      return [caption, headers] as const;
    }),
  );
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(await renderXlsx(model)).buffer);
  rendered = {
    htmlTables,
    htmlText: textOf(html),
    pdfText: await pdfText(await renderPdf(model)),
    workbook,
    csv: parse(renderCsv(model), { bom: true, relax_column_count: true }),
  };
});

/** The row under a table's title in a sheet: its header row, as the cells' text. */
function xlsxHeaderUnder(table: ReportTable): string[] | undefined {
  const sheet = rendered.workbook.getWorksheet(SECTION_SHEET_NAMES[table.sectionId]);
  let headers: string[] | undefined;
  sheet?.eachRow((row, rowNumber) => {
    if (headers || row.getCell(1).value !== bilingualText(table.title)) return;
    const header = sheet.getRow(rowNumber + 1);
    headers = table.columns.map((_, index) => String(header.getCell(index + 1).value));
  });
  return headers;
}

describe("every format shows the same tables", () => {
  it("has tables to compare, each with a title in both languages", () => {
    expect(tables.map((table) => table.id)).toHaveLength(14);
    for (const table of tables) {
      expect(table.title.ja).not.toBe("");
      expect(table.title.en).not.toBe("");
    }
  });

  describe.each(tables.map((table) => [table.id, table] as const))("%s", (_, table) => {
    it("HTML: is captioned with its title and headed by its fields' headers", () => {
      const headers = rendered.htmlTables.get(shownInHtml(table.title));
      expect(headers, `no HTML table captioned ${bilingualText(table.title)}`).toBeDefined();
      expect(headers).toEqual(table.fields.map((field) => shownInHtml(field.header)));
    });

    it("PDF: has its title in both languages, then its fields' headers in order", () => {
      expect(rendered.pdfText).toContain(squeeze(`${table.title.ja} / ${table.title.en}`));
      const headerRow = table.fields.map((field) => shownInHtml(field.header)).join("");
      expect(rendered.pdfText).toContain(squeeze(`${table.title.ja} / ${table.title.en}${headerRow}`));
    });

    it("XLSX: has its title on its section's sheet, above its columns' headers", () => {
      expect(xlsxHeaderUnder(table)).toEqual(table.columns.map((column) => `${column.header.ja}\n${column.header.en}`));
    });

    it("CSV: has a block headed by its section and title, then its columns' headers", () => {
      const titleRow = rendered.csv.findIndex(
        (record) => record[0] === bilingualText(table.section) && record[1] === bilingualText(table.title),
      );
      expect(titleRow).toBeGreaterThanOrEqual(0);
      expect(rendered.csv[titleRow + 1]).toEqual(table.columns.map((column) => bilingualText(column.header)));
    });

    it("spreadsheets: split a name's column in two under the reader's header, and keep the others", () => {
      const spreadsheetHeaders = table.fields.flatMap((field) =>
        field.kind === "name" ? [`${field.header.ja}（日本語）`, `${field.header.ja}（英語）`] : [field.header.ja],
      );
      expect(table.columns.map((column) => column.header.ja)).toEqual(spreadsheetHeaders);
    });
  });

  it("writes timestamps in Tokyo time everywhere, never as the stored ISO string", () => {
    // The failed notice was stored as 2026-11-18T10:02:11+09:00, the reconciliation at 2026-11-30T23:30:00+09:00.
    expect(rendered.htmlText).toContain("2026年11月18日 10:02 18 November 2026, 10:02 JST");
    expect(rendered.pdfText).toContain(squeeze("2026年11月18日 10:02 18 November 2026, 10:02 JST"));
    expect(rendered.pdfText).toContain(squeeze("2026年11月30日 23:30 30 November 2026, 23:30 JST"));
    expect(rendered.csv.flat()).toContain("2026-11-18 10:02");
    const attention = rendered.workbook.getWorksheet(SECTION_SHEET_NAMES.attention);
    const values: unknown[] = [];
    attention?.eachRow((row) => row.eachCell((cell) => values.push(cell.value)));
    expect(values).toContain("2026-11-18 10:02");
    // The report's generation time reads the same in the HTML, the PDF and the workbook's cover.
    const generated = "2026年12月1日 6:00 1 December 2026, 06:00 JST";
    expect(rendered.htmlText).toContain(generated);
    expect(rendered.pdfText).toContain(squeeze("2026年12月1日 6:00"));
    expect(rendered.pdfText).toContain(squeeze("1 December 2026, 06:00 JST"));
    const cover: unknown[] = [];
    rendered.workbook.worksheets[0]?.eachRow((row) => row.eachCell((cell) => cover.push(cell.value)));
    expect(cover).toContain("2026年12月1日 6:00 / 1 December 2026, 06:00 JST");
    for (const text of [rendered.htmlText, rendered.pdfText, rendered.csv.flat().join(" ")]) {
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
  });
});
