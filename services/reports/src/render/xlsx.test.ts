import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { aReportModel } from "../domain/report-builders.ts";
import type { ReportModel } from "../domain/report-model.ts";
import { bilingualText } from "./format.ts";
import { DIRECTION, SECTION_TITLES } from "./labels.ts";
import { COVER_SHEET_NAME, renderXlsx, SECTION_SHEET_NAMES } from "./xlsx.ts";

const YEN_FORMAT = '"¥"#,##0';
const COUNT_FORMAT = "#,##0";

async function readBack(model: ReportModel): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs types its input as an ArrayBuffer (which JSZip reads as well as a Node Buffer).
  await workbook.xlsx.load(new Uint8Array(await renderXlsx(model)).buffer);
  return workbook;
}

function sheetNamed(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`No sheet ${name}`);
  return sheet;
}

function allCells(sheet: ExcelJS.Worksheet): ExcelJS.Cell[] {
  const cells: ExcelJS.Cell[] = [];
  sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
  return cells;
}

/** The columns, by English header, of the table `row` belongs to: its header row is the nearest filled row above. */
function columnsOf(sheet: ExcelJS.Worksheet, row: ExcelJS.Row): Map<string, number> {
  for (let number = Number(row.number) - 1; number >= 1; number--) {
    const header = sheet.getRow(number);
    if (header.getCell(1).fill?.type !== "pattern") continue;
    const columns = new Map<string, number>();
    header.eachCell((cell) => {
      columns.set(String(cell.value).split("\n")[1] ?? "", Number(cell.col));
    });
    return columns;
  }
  throw new Error(`No header above row ${row.number}`);
}

function cellUnder(sheet: ExcelJS.Worksheet, row: ExcelJS.Row, headerEn: string): ExcelJS.Cell {
  const column = columnsOf(sheet, row).get(headerEn);
  if (column === undefined) throw new Error(`No column ${headerEn}`);
  return row.getCell(column);
}

function rowWhere(sheet: ExcelJS.Worksheet, matches: (row: ExcelJS.Row) => boolean): ExcelJS.Row {
  const rows: ExcelJS.Row[] = [];
  sheet.eachRow((row) => {
    if (matches(row)) rows.push(row);
  });
  const [row, ...others] = rows;
  if (!row || others.length > 0) throw new Error(`${rows.length} rows match on ${sheet.name}, not one`);
  return row;
}

function expectNumber(cell: ExcelJS.Cell, value: number, format: string): void {
  expect({ address: cell.address, type: cell.type, value: cell.value, format: cell.numFmt }).toEqual({
    address: cell.address,
    type: ExcelJS.ValueType.Number,
    value,
    format,
  });
}

describe("renderXlsx", () => {
  it("has a cover sheet and a sheet per section, named validly in both languages", async () => {
    const workbook = await readBack(aReportModel());

    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names).toEqual([
      "表紙 Cover",
      "1 関係 Relations",
      "2 訪問 Visits",
      "3 交流 Exchanges",
      "4 基金 Fund",
      "5 要対応 Attention",
    ]);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[[\]:*?/\\]/);
    }
  });

  it("heads each section's sheet with its title and carries every Japanese section title", async () => {
    const workbook = await readBack(aReportModel());

    for (const [sectionId, sheetName] of Object.entries(SECTION_SHEET_NAMES)) {
      const title = SECTION_TITLES[sectionId as keyof typeof SECTION_SHEET_NAMES];
      const sheet = sheetNamed(workbook, sheetName);
      expect(sheet.getCell("A1").value).toBe(title.ja);
      expect(sheet.getCell("A2").value).toBe(title.en);
    }
    const visitTexts = allCells(sheetNamed(workbook, SECTION_SHEET_NAMES.visits)).map((cell) => cell.value);
    expect(visitTexts).toContain(bilingualText(SECTION_TITLES.conferences));
  });

  it("states the cover: title, period and when it was generated (Tokyo time)", async () => {
    const model = aReportModel();
    const cover = sheetNamed(await readBack(model), COVER_SHEET_NAME);

    const texts = allCells(cover).map((cell) => cell.value);
    expect(texts).toEqual(
      expect.arrayContaining([
        model.title.ja,
        model.title.en,
        "2026年11月 / November 2026",
        "2026年11月1日〜30日 / 1–30 November 2026",
        // As the HTML and the PDF write it.
        "2026年12月1日 6:00 / 1 December 2026, 06:00 JST",
      ]),
    );
  });

  it("stores every fund programme's amounts and the totals as yen numbers", async () => {
    const model = aReportModel();
    const fund = sheetNamed(await readBack(model), SECTION_SHEET_NAMES.fund);
    const headers = {
      appropriatedYen: "Appropriated",
      heldYen: "Held",
      spentYen: "Spent",
      availableYen: "Available",
      releasedYen: "Released",
    } as const;

    const lines = [...model.fund.programmes, { name: { ja: "合計", en: "Total" }, ...model.fund.totals }];
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const row = rowWhere(fund, (candidate) => candidate.getCell(1).value === line.name.ja);
      expect(row.getCell(2).value).toBe(line.name.en);
      for (const [field, header] of Object.entries(headers)) {
        expectNumber(cellUnder(fund, row, header), line[field as keyof typeof headers], YEN_FORMAT);
      }
    }
  });

  it("sets the total row apart in bold", async () => {
    const fund = sheetNamed(await readBack(aReportModel()), SECTION_SHEET_NAMES.fund);

    const total = rowWhere(fund, (row) => row.getCell(1).value === "合計");
    const programme = rowWhere(fund, (row) => row.getCell(1).value === "留学生奨学金");
    expect(total.getCell(3).font?.bold).toBe(true);
    expect(programme.getCell(3).font?.bold).toBeFalsy();
  });

  it("stores the quotas' counts as numbers", async () => {
    const model = aReportModel();
    const exchanges = sheetNamed(await readBack(model), SECTION_SHEET_NAMES.exchanges);
    const headers = {
      quota: "Annual quota",
      counted: "Counted against the quota",
      active: "Active",
      completed: "Completed",
      cancelled: "Cancelled",
      fundingRejected: "Funding rejected",
    } as const;

    expect(model.exchanges.quotas).toHaveLength(3);
    for (const quota of model.exchanges.quotas) {
      const row = rowWhere(
        exchanges,
        (candidate) =>
          candidate.getCell(1).value === quota.partner.ja &&
          candidate.getCell(3).value === bilingualText(DIRECTION[quota.direction]),
      );
      for (const [field, header] of Object.entries(headers)) {
        expectNumber(cellUnder(exchanges, row, header), quota[field as keyof typeof headers], COUNT_FORMAT);
      }
    }
  });

  it("stores dates as real dates shown as yyyy-mm-dd", async () => {
    const visits = sheetNamed(await readBack(aReportModel()), SECTION_SHEET_NAMES.visits);
    const trip = rowWhere(visits, (row) => row.getCell(4).value === "ロンドン（大ロンドン庁）、パリ市");

    const start = cellUnder(visits, trip, "Start");
    expect(start.type).toBe(ExcelJS.ValueType.Date);
    expect(start.value).toEqual(new Date("2026-11-09T00:00:00Z"));
    expect(start.numFmt).toBe("yyyy-mm-dd");
  });

  it("stores hostile text as text, never as a formula", async () => {
    const hostile = [
      '=HYPERLINK("http://evil","x")',
      "+cmd|' /C calc'!A0",
      "-2+3+cmd|' /C calc'!A0",
      "@SUM(1+1)",
      "\t=1+1",
    ];
    const base = aReportModel();
    const model = aReportModel({
      attention: {
        ...base.attention,
        failedNotices: hostile.map((text, index) => ({
          noticeId: `ntc-${index}`,
          partner: { ja: text, en: text },
          subject: text,
          failedAt: "2026-11-18T10:02:11+09:00",
          reason: text,
        })),
      },
    });
    const attention = sheetNamed(await readBack(model), SECTION_SHEET_NAMES.attention);

    const cells = allCells(attention).filter((cell) => hostile.some((text) => cell.text === text));
    expect(cells).toHaveLength(hostile.length * 4);
    for (const cell of cells) {
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
    }
  });

  it("freezes each section's sheet under its first table's bold, filled header row", async () => {
    const workbook = await readBack(aReportModel());

    for (const sheetName of Object.values(SECTION_SHEET_NAMES)) {
      const sheet = sheetNamed(workbook, sheetName);
      const view = sheet.views[0];
      expect(view?.state, sheetName).toBe("frozen");
      const headerRow = view?.state === "frozen" ? Number(view.ySplit) : 0;
      const header = sheet.getRow(headerRow).getCell(1);
      expect(String(header.value), sheetName).toMatch(/\n/);
      expect(header.font?.bold).toBe(true);
      expect(header.fill).toMatchObject({ type: "pattern", pattern: "solid" });
    }
  });

  it("makes columns wide enough for their longest names and amounts", async () => {
    const workbook = await readBack(aReportModel());
    const relations = sheetNamed(workbook, SECTION_SHEET_NAMES.relations);
    const fund = sheetNamed(workbook, SECTION_SHEET_NAMES.fund);

    // Full-width characters take two units.
    expect(relations.getColumn(1).width).toBeGreaterThanOrEqual("ロンドン（大ロンドン庁）".length * 2);
    expect(relations.getColumn(2).width).toBeGreaterThanOrEqual("London (Greater London Authority)".length);
    const total = rowWhere(fund, (row) => row.getCell(1).value === "合計");
    expect(fund.getColumn(Number(cellUnder(fund, total, "Appropriated").col)).width).toBeGreaterThanOrEqual(
      "¥200,000,000".length,
    );
  });

  it("says so under a table that has no rows", async () => {
    const base = aReportModel();
    const model = aReportModel({ attention: { ...base.attention, failedNotices: [] } });
    const attention = sheetNamed(await readBack(model), SECTION_SHEET_NAMES.attention);

    const header = rowWhere(attention, (row) => row.getCell(1).value === "失敗日時\nFailed at");
    expect(attention.getRow(Number(header.number) + 1).getCell(1).value).toBe("該当なし / None");
  });

  it("records who made the workbook and when the report was generated", async () => {
    const model = aReportModel();
    const workbook = await readBack(model);

    expect(workbook.creator).toBe("東京都 Tokyo Metropolitan Government");
    expect(workbook.title).toContain(model.title.ja);
    expect(workbook.title).toContain(model.title.en);
    expect(workbook.created).toEqual(new Date(model.generatedAt));
    expect(workbook.modified).toEqual(new Date(model.generatedAt));
  });
});
