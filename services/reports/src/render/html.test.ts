import { create as createFont, type Font } from "fontkit";
import { describe, expect, it } from "vitest";
import { aReportModel } from "../domain/report-builders.ts";
import type { Bilingual, ReportModel } from "../domain/report-model.ts";
import { measureTextWidth, relationsChartDescription, relationsChartSvg } from "./chart.ts";
import { japaneseFont } from "./font.ts";
import { formatDate, formatDateRange, formatDateTime } from "./format.ts";
import { escapeHtml, renderHtml } from "./html.ts";
import { SECTION_TITLES } from "./labels.ts";
import { reportTables } from "./tables.ts";

const sample = aReportModel();
const sampleHtml = renderHtml(sample);

/** The text of an HTML fragment, as a reader would get it: tags dropped, entities decoded, spaces collapsed. */
function textOf(fragment: string): string {
  return (
    fragment
      .replace(/<style\b[\s\S]*?<\/style>/g, " ")
      // Inline elements join their text as it is; the others separate it.
      .replace(/<\/?(?:span|wbr|code)\b[^>]*>/g, "")
      .replace(/<[^>]+>/g, " ")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"')
      .replaceAll("&#39;", "'")
      .replaceAll("&amp;", "&")
      .replace(/\s+/g, " ")
      .trim()
  );
}

function headings(html: string): { level: number; text: string }[] {
  return [...html.matchAll(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/g)].map((match) => ({
    level: Number(match[1]),
    text: textOf(match[2] ?? ""),
  }));
}

function both(text: Bilingual): string {
  return `${text.ja} ${text.en}`;
}

describe("renderHtml", () => {
  it("is a Japanese HTML5 document without scripts or anything fetched", () => {
    expect(sampleHtml.startsWith('<!DOCTYPE html>\n<html lang="ja">')).toBe(true);
    expect(sampleHtml).toContain('<meta charset="utf-8">');
    expect(sampleHtml).toMatch(
      /<title>都市外交推進状況報告 2026年11月 — City Diplomacy Progress Report, November 2026<\/title>/,
    );
    // `url(#…)` is the chart's own clip path; any other url would be fetched.
    expect(sampleHtml).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\((?!#)/i);
    expect(sampleHtml).not.toMatch(/href="https?:/i);
  });

  it("has one h1 and the five sections as h2, in the order of the section titles, in both languages", () => {
    const outline = headings(sampleHtml);
    expect(outline.filter((heading) => heading.level === 1)).toEqual([
      { level: 1, text: "都市外交推進状況報告 City Diplomacy Progress Report" },
    ]);
    expect(outline.filter((heading) => heading.level === 2).map((heading) => heading.text)).toEqual([
      both(SECTION_TITLES.relations),
      both(SECTION_TITLES.visits),
      both(SECTION_TITLES.exchanges),
      both(SECTION_TITLES.fund),
      both(SECTION_TITLES.attention),
    ]);
    // Conferences are part of section 2, after the visits and before the exchanges.
    const texts = outline.map((heading) => heading.text);
    const conferences = texts.indexOf(both(SECTION_TITLES.conferences));
    expect(outline[conferences]?.level).toBe(3);
    expect(conferences).toBeGreaterThan(texts.indexOf(both(SECTION_TITLES.visits)));
    expect(conferences).toBeLessThan(texts.indexOf(both(SECTION_TITLES.exchanges)));
  });

  it("never skips a heading level", () => {
    const levels = headings(sampleHtml).map((heading) => heading.level);
    expect(levels[0]).toBe(1);
    for (const [index, level] of levels.entries()) {
      if (index > 0) expect(level).toBeLessThanOrEqual((levels[index - 1] ?? 0) + 1);
    }
  });

  it("marks the English of every heading as English", () => {
    for (const title of Object.values(SECTION_TITLES)) {
      expect(sampleHtml).toContain(`<span class="en" lang="en">${escapeHtml(title.en)}</span>`);
    }
    const headingTags = [...sampleHtml.matchAll(/<h[1-3]\b[^>]*>[\s\S]*?<\/h[1-3]>/g)].map((match) => match[0]);
    expect(headingTags.length).toBeGreaterThan(10);
    for (const heading of headingTags) expect(heading).toContain('lang="en"');
  });

  it("gives every table a caption and scopes every header cell", () => {
    const tables = [...sampleHtml.matchAll(/<table>[\s\S]*?<\/table>/g)].map((match) => match[0]);
    // Those of `reportTables`: 2 in section 1, 4 in section 2, 2 in section 3, 2 in section 4, 4 in section 5.
    expect(tables).toHaveLength(reportTables(sample).length);
    expect(tables).toHaveLength(14);
    for (const table of tables) {
      expect(table).toMatch(/^<table>\s*<caption>[\s\S]+?<\/caption>/);
      const headerCells = [...table.matchAll(/<th\b[^>]*>/g)].map((match) => match[0]);
      expect(headerCells.length).toBeGreaterThan(0);
      for (const cell of headerCells) expect(cell).toMatch(/ scope="(col|row)"/);
      expect(table).toContain('scope="col"');
      expect(table).toContain('scope="row"');
    }
  });

  it("embeds the chart as an image named by its title and described by its text alternative", () => {
    const svg = /<svg\b[^>]*>/.exec(sampleHtml)?.[0] ?? "";
    expect(svg).toContain('role="img"');
    const labelledBy = / aria-labelledby="([^"]+)"/.exec(svg)?.[1];
    const describedBy = / aria-describedby="([^"]+)"/.exec(svg)?.[1];
    expect(sampleHtml).toContain(
      `<title id="${labelledBy}">具体的な関係の数の推移 Concrete relations over time</title>`,
    );
    const description = relationsChartDescription(sample);
    expect(sampleHtml).toContain(
      `<desc id="${describedBy}">${escapeHtml(`${description.ja} ${description.en}`)}</desc>`,
    );
    // The same text alternative is visible to everyone under the chart.
    const figure = /<figure class="chart">[\s\S]*?<\/figure>/.exec(sampleHtml)?.[0] ?? "";
    const caption = /<figcaption>[\s\S]*<\/figcaption>/.exec(figure)?.[0] ?? "";
    expect(caption).toContain(`<p>${escapeHtml(description.ja)}</p>`);
    expect(caption).toContain(`<p lang="en">${escapeHtml(description.en)}</p>`);
  });

  it("shows amounts as yen with separators and numbers right-aligned", () => {
    expect(textOf(sampleHtml)).toContain("2026年度 FY2026 2 3 ¥27,850,000 ¥42,000,000");
    // The fund's total row: every amount in a right-aligned cell.
    const footers = [...sampleHtml.matchAll(/<tfoot>[\s\S]*?<\/tfoot>/g)].map((match) => match[0]);
    const totals = footers.find((footer) => footer.includes("¥200,000,000")) ?? "";
    expect(totals).toContain(
      '<th scope="row"><span class="ja">合計</span> <span class="en" lang="en">Total</span></th>',
    );
    for (const amount of ["¥200,000,000", "¥16,860,000", "¥100,212,500", "¥82,927,500", "¥2,587,500"]) {
      expect(totals).toContain(`<td class="num">${amount}</td>`);
    }
    expect(sampleHtml).toContain('<td class="num">¥13,920,000</td>');
  });

  it("writes dates and times for readers in both languages", () => {
    const text = textOf(sampleHtml);
    expect(text).toContain("2026年11月（2026年11月1日〜30日） November 2026 (1–30 November 2026)");
    expect(text).toContain("2026年11月9日 9 November 2026 2026年11月14日 14 November 2026");
    expect(text).toContain("1960年2月29日 29 February 1960");
    // Timestamps in Tokyo time, whatever offset they were written with.
    expect(text).toContain("2026年12月1日 6:00 1 December 2026, 06:00 JST");
    expect(text).toContain("2026年11月18日 10:02 18 November 2026, 10:02 JST");
  });

  it("shows the status words of labels.ts, and flags what needs flagging", () => {
    const model = aReportModel({
      visits: { ...sample.visits, tripsCommitted: 4 },
      fund: { ...sample.fund, reconciliation: { status: "failed", checkedAt: null, mismatches: 3 } },
      relations: {
        ...sample.relations,
        rows: sample.relations.rows.map((row) => (row.partnerId === "los-angeles" ? { ...row, inPeriod: true } : row)),
      },
    });
    const html = renderHtml(model);
    const text = textOf(html);
    expect(text).toContain("2026年度 FY2026 4 上限超過 Over the limit 3 ¥27,850,000 ¥42,000,000");
    expect(html).toContain('<td class="num warn">4 <span class="badge badge-warning">');
    expect(text).toContain("不一致あり Mismatches found 未照合 Not yet checked 3");
    expect(html).toContain('<span class="badge badge-warning"><span class="ja">不一致あり</span>');
    expect(text).toContain(
      "ロサンゼルス市 Los Angeles US 2018年7月25日 25 July 2018 首脳の相互訪問 Reciprocal head-level visits はい Yes",
    );
    expect(html).toMatch(/<tr class="highlight"><th scope="row"><span class="ja">ロサンゼルス市<\/span>/);
    expect(textOf(sampleHtml)).not.toContain("はい Yes");
    expect(sampleHtml).not.toContain('class="highlight"');
  });
});

describe("escaping model text", () => {
  it("escapes the characters that could end text or an attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;",
    );
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });

  const script = '<script>alert("x")</script>';
  const image = "\"><img src=x onerror=alert('y')>";
  const hostile: Bilingual = { ja: `${script}東京`, en: `Tom & Jerry's ${image}` };
  const hostileModel: ReportModel = aReportModel({
    reportId: script,
    title: hostile,
    period: { ...sample.period, label: hostile },
    relations: {
      ...sample.relations,
      milestones: sample.relations.milestones.map((milestone) => ({ ...milestone, label: hostile })),
      rows: sample.relations.rows.map((row) => ({ ...row, partner: hostile, country: image })),
    },
    visits: {
      ...sample.visits,
      governorTrips: sample.visits.governorTrips.map((trip) => ({ ...trip, partners: [hostile], purpose: hostile })),
      leaderVisits: sample.visits.leaderVisits.map((visit) => ({ ...visit, headName: hostile, headTitle: hostile })),
      conferences: sample.visits.conferences.map((conference) => ({
        ...conference,
        name: hostile,
        city: hostile,
        deadlineWhat: hostile,
      })),
    },
    exchanges: {
      ...sample.exchanges,
      quotas: sample.exchanges.quotas.map((quota) => ({ ...quota, partner: hostile })),
      placements: sample.exchanges.placements.map((placement) => ({ ...placement, person: hostile, host: hostile })),
    },
    fund: { ...sample.fund, programmes: sample.fund.programmes.map((programme) => ({ ...programme, name: hostile })) },
    attention: {
      dormant: [{ partnerId: "x", partner: hostile, lastExchangeOn: image, since: script }],
      reviewsDue: [
        { partnerId: "x", partner: hostile, agreementId: script, title: hostile, reviewOn: image, daysLeft: 3 },
      ],
      failedNotices: [{ noticeId: image, partner: hostile, subject: script, failedAt: image, reason: script }],
      deadLetters: [{ queue: script, count: 2 }],
    },
  });
  const html = renderHtml(hostileModel);

  it("renders hostile strings from the model as text, never as markup", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;東京");
    expect(html).toContain("Tom &amp; Jerry&#39;s &quot;&gt;&lt;img src=x onerror=alert(&#39;y&#39;)&gt;");
    // What a reader sees is exactly what was entered.
    expect(textOf(html)).toContain(`${script}東京 Tom & Jerry's ${image}`);
  });

  it("keeps the document's structure whatever the text", () => {
    const count = (pattern: RegExp, text: string) => text.match(pattern)?.length ?? 0;
    for (const tag of [/<table>/g, /<\/table>/g, /<tr\b/g, /<h[23]\b/g, /<section\b/g, /<svg\b/g, /<\/svg>/g]) {
      expect(count(tag, html)).toBe(count(tag, renderHtml(aReportModel({ attention: hostileModel.attention }))));
    }
    expect(count(/<html\b/g, html)).toBe(1);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
  });

  it("escapes the chart's labels and text alternative as well", () => {
    const svg = relationsChartSvg(hostileModel, { width: 720, height: 360 });
    expect(svg).not.toMatch(/<script|<img/i);
    expect(svg).toContain("&lt;script&gt;");
  });
});

describe("empty lists", () => {
  const emptyModel = aReportModel({
    relations: { ...sample.relations, series: [], rows: [], total: 0 },
    visits: { ...sample.visits, governorTrips: [], leaderVisits: [], conferences: [] },
    exchanges: { ...sample.exchanges, quotas: [], placements: [] },
    fund: { ...sample.fund, programmes: [] },
    attention: { dormant: [], reviewsDue: [], failedNotices: [], deadLetters: [] },
  });
  const html = renderHtml(emptyModel);
  const none = '<p class="none"><span class="ja">該当なし</span> <span class="en" lang="en">None</span></p>';

  it("say so in both languages instead of showing an empty table", () => {
    // Relations, trips, leaders, conferences, quotas, placements, fund, and the four attention lists.
    expect(html.split(none).length - 1).toBe(11);
    expect(html).not.toMatch(/<tbody>\s*<\/tbody>/);
    const empty = reportTables(emptyModel).filter((table) => table.lines.length === 0);
    expect(empty).toHaveLength(11);
    // Under its title, as the PDF and the workbook say it.
    for (const { title } of empty) {
      expect(html).toContain(`<span class="en" lang="en">${escapeHtml(title.en)}</span></h3>\n${none}`);
    }
  });

  it("still draw the chart and describe it", () => {
    expect(html).toMatch(/<svg role="img"/);
    const description = relationsChartDescription(emptyModel);
    expect(description.ja).toContain("まだ具体的な関係はない。");
    expect(description.en).toContain("There are no concrete relations yet.");
    expect(description.en).toContain("0 at the end of the period (30 November 2026).");
  });
});

describe("the chart", () => {
  it("describes the data, the total and each milestone in both languages", () => {
    const description = relationsChartDescription(sample);
    expect(description.ja).toContain("1960年2月29日の1件から、2018年7月25日に8件となった。");
    expect(description.ja).toContain("期末（2026年11月30日）時点で8件。");
    expect(description.ja).toContain("2017年12月31日までに15件（同日時点の実績7件）");
    expect(description.en).toContain("8 at the end of the period (30 November 2026).");
    expect(description.en).toContain("Milestone “30 cities by the Tokyo 2020 Games”: 30 by 24 July 2020 (8 by then).");
  });

  it("has bilingual series and axis names, Japanese first", () => {
    const svg = relationsChartSvg(sample, { width: 720, height: 360 });
    for (const name of ["具体的な関係 Concrete relations", "目標 Milestones", "関係数 Relations", "年 Year"]) {
      expect(svg).toContain(`>${name}</text>`);
    }
    expect(svg).toMatch(/^<svg role="img"[^>]* viewBox="0 0 720 360"/);
    expect(svg).not.toContain("<style");
  });

  describe("measures text with the report font", () => {
    const font: Font = (() => {
      const loaded = createFont(japaneseFont());
      if (!("layout" in loaded)) throw new Error("expected a single font");
      return loaded;
    })();
    const fontkitWidth = (text: string, sizePx: number) => (font.layout(text).advanceWidth / font.unitsPerEm) * sizePx;

    it("gives the width fontkit lays the text out to, at the size in the CSS font", () => {
      const text = "東京2020大会までに30都市 Concrete relations";
      expect(measureTextWidth(text, "normal normal 12px 'Noto Sans JP', sans-serif")).toBeCloseTo(
        fontkitWidth(text, 12),
        6,
      );
      expect(measureTextWidth(text, "bold 15.5px sans-serif")).toBeCloseTo(fontkitWidth(text, 15.5), 6);
      // Proportional Latin: not one em per character, which is what ECharts guesses without a canvas.
      expect(measureTextWidth("iiii", "12px sans-serif")).toBeLessThan(measureTextWidth("WWWW", "12px sans-serif") / 2);
    });

    it("is what ECharts lays the milestone labels out with", () => {
      const svg = relationsChartSvg(sample, { width: 720, height: 360 });
      // Each milestone label sits on a white box as wide as its wider line plus 4 px padding either side.
      const boxWidths = [...svg.matchAll(/<path d="M-([\d.]+) [^"]*"[^>]* fill="#ffffff"/g)].map((match) =>
        Number(match[1]),
      );
      const expected = sample.relations.milestones.map(
        (milestone) => Math.max(fontkitWidth(milestone.label.ja, 12), fontkitWidth(milestone.label.en, 12)) + 8,
      );
      expect(boxWidths).toHaveLength(expected.length);
      // The SVG rounds path coordinates to 0.1 px. (ECharts' own guess is 0.4 and 0.7 px off for these labels.)
      for (const [index, width] of boxWidths.entries()) {
        expect(Math.abs(width - (expected[index] ?? 0))).toBeLessThanOrEqual(0.051);
      }
    });
  });
});

describe("dates", () => {
  it("reads the same way in every table", () => {
    expect(formatDate("2026-11-09")).toEqual({ ja: "2026年11月9日", en: "9 November 2026" });
    expect(formatDate("not a date")).toEqual({ ja: "not a date", en: "not a date" });
    expect(formatDateRange("2026-11-09", "2026-11-09")).toEqual(formatDate("2026-11-09"));
    expect(formatDateRange("2026-11-09", "2026-12-02")).toEqual({
      ja: "2026年11月9日〜12月2日",
      en: "9 November – 2 December 2026",
    });
    expect(formatDateTime("2026-11-18T01:02:11Z")).toEqual({
      ja: "2026年11月18日 10:02",
      en: "18 November 2026, 10:02 JST",
    });
  });
});
