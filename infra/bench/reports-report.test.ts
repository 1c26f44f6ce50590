import { describe, expect, it } from "vitest";
import type { ReportTimes } from "./report-timing.ts";
import type { HistoryFigures } from "./reports-bench.ts";
import { reportYearOnly, tenYears } from "./reports-history.ts";
import { evaluateReportAims, reportAimsLine, reportsTable, scalingLine } from "./reports-report.ts";
import { summarize } from "./stats.ts";

const times = (each: number, totalMs: number): ReportTimes => ({
  steps: { load: each, model: each, html: each, pdf: each, xlsx: each, csv: each, store: each, mail: 0 },
  progressMs: 70,
  totalMs,
  itemsRead: 520,
  files: 4,
});

const figures = (shape = tenYears(10_000), warmMs = 2_000, coldMs = 4_000): HistoryFigures => ({
  shape,
  events: 10_461,
  items: 5_218,
  projectMs: 300,
  writeMs: 11_000,
  itemsRead: 520,
  initMs: 900,
  cold: times(300, coldMs - 900),
  coldSinceStartMs: coldMs,
  warm: { steps: times(200, warmMs).steps, progressMs: 60, totalMs: summarize([warmMs - 10, warmMs, warmMs + 10]) },
  peakRssMb: 312.4,
});

describe("the reports benchmark's report", () => {
  it("gives each history a cold row and a warm row, every step in milliseconds", () => {
    const lines = reportsTable([figures()]).split("\n");
    expect(lines[0]).toMatch(/^history\s+events\s+items\s+write s\s+read\s+run\s+init ms\s+load ms\s+model ms/);
    expect(lines[0]).toMatch(/mail ms\s+progress ms\s+total ms\s+peak RSS MB$/);
    expect(lines).toHaveLength(4);
    expect(lines[2]?.split(/\s{2,}/)).toEqual([
      "10k over FY2017–2026",
      "10,461",
      "5,218",
      "11.0",
      "520",
      "cold",
      "900",
      ...["300", "300", "300", "300", "300", "300", "300", "0"],
      "70",
      "4000",
      "312",
    ]);
    expect(lines[3]?.trim().split(/\s{2,}/)).toEqual([
      "warm ×3",
      "-",
      ...["200", "200", "200", "200", "200", "200", "200", "0"],
      "60",
      "2000",
    ]);
  });

  it("judges the aims at ten years of 10k events: under 3 s warm, under 6 s cold", () => {
    const at = (warmMs: number, coldMs: number) =>
      evaluateReportAims([figures(tenYears(1_000), 10, 10), figures(tenYears(10_000), warmMs, coldMs)]);
    expect(at(2_999, 5_999)).toMatchObject({ warmMet: true, coldMet: true, warmMs: 2_999, coldMs: 5_999 });
    expect(at(3_000, 6_000)).toMatchObject({ warmMet: false, coldMet: false });
    expect(reportAimsLine(at(2_500, 7_000))).toBe(
      "Report function aims, monthly report at 10k over FY2017–2026: warm 2500 ms vs under 3,000 ms: met; " +
        "cold 7000 ms vs under 6,000 ms: MISSED",
    );
  });

  it("does not judge the aims on the report's year alone, nor without a 10k history", () => {
    const verdict = evaluateReportAims([figures(reportYearOnly(10_000))]);
    expect(verdict.at).toBeUndefined();
    expect(reportAimsLine(verdict)).toMatch(/not judged/);
  });

  it("shows how much of the history the report reads", () => {
    expect(scalingLine([figures()])).toMatch(/10k over FY2017–2026: 520 of 5,218 items read \(10%\), warm 2000 ms$/);
  });
});
