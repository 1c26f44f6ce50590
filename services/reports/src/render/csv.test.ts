import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { aReportModel } from "../domain/report-builders.ts";
import type { ReportModel } from "../domain/report-model.ts";
import { renderCsv } from "./csv.ts";
import { type ReportCell, reportTables } from "./tables.ts";

function readBack(csv: Buffer): string[][] {
  return parse(csv, { bom: true, relax_column_count: true });
}

/** What a spreadsheet should get for a cell: text that could start a formula gets a leading `'`, numbers do not. */
function expectedCell(cell: ReportCell): string {
  if (cell === null) return "";
  if (typeof cell === "number") return String(cell);
  return /^[=+\-@\t\r＝＋－＠]/.test(cell) ? `'${cell}` : cell;
}

function expectedRecords(model: ReportModel): string[][] {
  return reportTables(model).flatMap((table, index) => [
    ...(index === 0 ? [] : [[""]]),
    [`${table.section.ja} / ${table.section.en}`, `${table.title.ja} / ${table.title.en}`],
    table.columns.map((column) =>
      column.header.ja === column.header.en ? column.header.ja : `${column.header.ja} / ${column.header.en}`,
    ),
    ...table.rows.map((row) => row.map(expectedCell)),
  ]);
}

const hostile = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)"];

function aHostileModel(): ReportModel {
  const base = aReportModel();
  return aReportModel({
    attention: {
      ...base.attention,
      reviewsDue: base.attention.reviewsDue.map((review) => ({ ...review, reviewOn: "2026-11-25", daysLeft: -5 })),
      failedNotices: [
        ...hostile.map((text, index) => ({
          noticeId: `ntc-${index}`,
          partner: { ja: text, en: text },
          subject: text,
          failedAt: "2026-11-18T10:02:11+09:00",
          reason: text,
        })),
        {
          noticeId: "ntc-whitespace",
          partner: { ja: "\tタブ", en: "\rcarriage return" },
          subject: "-5",
          failedAt: "2026-11-18T10:02:11+09:00",
          reason: "＝1+1",
        },
      ],
    },
  });
}

describe("renderCsv", () => {
  it("holds every table as a block: title row, header row, data rows, a blank row between blocks", () => {
    const model = aReportModel();

    const records = readBack(renderCsv(model));

    expect(records).toEqual(expectedRecords(model));
    expect(records[0]).toEqual(["1. 具体的な関係の構築状況 / 1. Concrete relations over time", expect.any(String)]);
    expect(records.filter((record) => record.length === 1 && record[0] === "")).toHaveLength(13);
  });

  it("starts with the UTF-8 byte order mark, once, and ends lines with CRLF", () => {
    const csv = renderCsv(aReportModel());

    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.subarray(3).toString("utf8");
    expect(text.startsWith("\uFEFF")).toBe(false);
    expect(text.endsWith("\r\n")).toBe(true);
    // The sample has no line break inside a cell, so every line break is a record's CRLF.
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
  });

  it("keeps Japanese text intact", () => {
    const csv = renderCsv(aReportModel());

    expect(csv.toString("utf8")).toContain("東京都とニューサウスウェールズ州との協力に関する覚書");
    expect(readBack(csv)).toContainEqual([
      "ニューサウスウェールズ州",
      "New South Wales",
      "東京都とニューサウスウェールズ州との協力に関する覚書",
      "MOU between Tokyo and New South Wales",
      "nsw-mou-2024",
      "2027-02-06",
      "68",
    ]);
  });

  it("keeps quotes, commas and line breaks inside a cell", () => {
    const base = aReportModel();
    const [placement] = base.exchanges.placements;
    if (!placement) throw new Error("The sample has placements");
    const awkward = ['He said "hello", then left', "line one\nline two", "line one\r\nline two", "lone\rreturn"];
    const model = aReportModel({
      exchanges: {
        ...base.exchanges,
        placements: awkward.map((host, index) => ({
          ...placement,
          placementId: `plc-${index}`,
          host: { ja: host, en: host },
        })),
      },
    });

    const csv = renderCsv(model);

    expect(readBack(csv)).toEqual(expectedRecords(model));
    // Quoted as RFC 4180 says, whatever a lenient parser copes with: Excel splits a row at an unquoted line break.
    for (const host of awkward) expect(csv.toString("utf8")).toContain(`,"${host.replaceAll('"', '""')}",`);
  });

  it("escapes text that would start a formula, but not negative numbers", () => {
    const model = aHostileModel();

    const records = readBack(renderCsv(model));

    expect(records).toEqual(expectedRecords(model));
    const failed = records.filter((record) => record.at(-1)?.startsWith("ntc-"));
    expect(failed).toHaveLength(hostile.length + 1);
    for (const [index, text] of hostile.entries()) {
      expect(failed[index]).toEqual([
        "2026-11-18 10:02",
        `'${text}`,
        `'${text}`,
        `'${text}`,
        `'${text}`,
        `ntc-${index}`,
      ]);
    }
    expect(failed[hostile.length]).toEqual([
      "2026-11-18 10:02",
      "'\tタブ",
      "'\rcarriage return",
      "'-5",
      "'＝1+1",
      "ntc-whitespace",
    ]);
    const review = records.find((record) => record.includes("nsw-mou-2024"));
    expect(review?.at(-1)).toBe("-5");
  });
});
