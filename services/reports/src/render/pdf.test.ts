import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api.d.ts";
import { beforeAll, describe, expect, it } from "vitest";
import { aReportModel, SAMPLE_PARTNERS } from "../domain/report-builders.ts";
import type { PlacementRow, ReportModel } from "../domain/report-model.ts";
import { japaneseFont } from "./font.ts";
import { bilingualText } from "./format.ts";
import { CHART, COLUMNS, REPORT_TITLE, SECTION_TITLES } from "./labels.ts";
import { renderPdf } from "./pdf.ts";

/** What a reader's viewer gets out of the PDF: each page's text, its size, and the document's info. */
interface ReadPdf {
  readonly pages: readonly string[];
  readonly items: readonly (readonly TextItem[])[];
  readonly sizes: readonly (readonly number[])[];
  readonly info: Readonly<Record<string, unknown>>;
}

async function readPdf(pdf: Buffer): Promise<ReadPdf> {
  const loading = getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, disableFontFace: true });
  const doc = await loading.promise;
  const pages: string[] = [];
  const items: TextItem[][] = [];
  const sizes: number[][] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    const content = await page.getTextContent();
    const texts = content.items.filter((item): item is TextItem => "str" in item);
    items.push(texts);
    pages.push(texts.map((item) => item.str).join(""));
    sizes.push(page.view);
  }
  const { info } = await doc.getMetadata();
  await loading.destroy();
  return { pages, items, sizes, info: { ...info } };
}

/**
 * Text compared without white space: where pdfjs puts spaces between the pieces of a line, and where a cell
 * wraps its text, are layout, not content.
 */
function squeeze(text: string): string {
  return text.replace(/\s+/g, "");
}

function allText(pdf: ReadPdf): string {
  return squeeze(pdf.pages.join(""));
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

const NONE = squeeze("該当なし / None");

let sample: Buffer;
let read: ReadPdf;

beforeAll(async () => {
  sample = await renderPdf(aReportModel());
  read = await readPdf(sample);
});

describe("renderPdf: the sample report", () => {
  it("has every section heading, in Japanese and in English, as extractable text", () => {
    const text = allText(read);
    for (const title of Object.values(SECTION_TITLES)) {
      expect(text).toContain(squeeze(title.ja));
      expect(text).toContain(squeeze(title.en));
    }
  });

  it("opens with the report's title and period, Japanese first", () => {
    const first = squeeze(read.pages[0] ?? "");
    expect(first.startsWith(squeeze(REPORT_TITLE.ja + REPORT_TITLE.en))).toBe(true);
    expect(first).toContain("2026年11月");
    expect(first).toContain("November2026");
    expect(first.indexOf(squeeze(SECTION_TITLES.relations.ja))).toBeLessThan(
      first.indexOf(squeeze(SECTION_TITLES.relations.en)),
    );
  });

  it("puts the sections in the order of the report", () => {
    const text = allText(read);
    const order = [
      SECTION_TITLES.relations,
      SECTION_TITLES.visits,
      SECTION_TITLES.conferences,
      SECTION_TITLES.exchanges,
      SECTION_TITLES.fund,
      SECTION_TITLES.attention,
    ].map((title) => text.indexOf(squeeze(title.ja)));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("names every partner in Japanese and in English", () => {
    const text = allText(read);
    for (const partner of Object.values(SAMPLE_PARTNERS)) {
      expect(text).toContain(squeeze(partner.ja));
      expect(text).toContain(squeeze(partner.en));
    }
    expect(text).toContain("モスクワ市");
  });

  it("labels the relations chart and its milestones with real text", () => {
    const text = squeeze(read.pages[0] ?? "");
    for (const label of [
      "2017年までに15都市",
      "15 cities by 2017",
      "東京2020大会までに30都市",
      "30 cities by the Tokyo 2020 Games",
      ...[CHART.title, CHART.xAxis, CHART.relationsSeries, CHART.milestonesSeries].map(bilingualText),
    ]) {
      expect(text).toContain(squeeze(label));
    }
    const yearTicks = (read.items[0] ?? []).map((item) => item.str).filter((str) => /^\d{4}$/.test(str));
    expect(yearTicks).toEqual(["1960", "1970", "1980", "1990", "2000", "2010", "2020", "2030"]);
  });

  it("writes yen amounts with thousands separators, right-aligned in their column", () => {
    const fundPage = read.items.find((items) => items.some((item) => item.str === "¥180,000,000")) ?? [];
    const appropriated = ["¥180,000,000", "¥20,000,000", "¥200,000,000"].map((amount) => {
      const item = fundPage.find((candidate) => candidate.str === amount);
      if (!item) throw new Error(`expected ${amount} on the fund statement's page`);
      return Number(item.transform[4]) + item.width;
    });
    const [first = 0, ...others] = appropriated;
    for (const rightEdge of others) expect(rightEdge).toBeCloseTo(first, 0);
    expect(allText(read)).toContain("27,850,000");
  });

  it("is A4 on every page", () => {
    expect(read.sizes.length).toBeGreaterThan(0);
    for (const size of read.sizes) expect(size).toEqual([0, 0, 595.28, 841.89]);
  });

  it("numbers its pages in the footer as 'page / pages'", () => {
    const count = read.pages.length;
    expect(count).toBeGreaterThan(1);
    read.pages.forEach((page, index) => {
      expect(squeeze(page).endsWith(`${index + 1}/${count}`)).toBe(true);
    });
  });

  it("embeds only a subset of the Japanese font, no standard font", () => {
    const raw = sample.toString("latin1");
    const baseFonts = [...raw.matchAll(/\/BaseFont\s*\/([^\s/>\]]+)/g)].map((match) => match[1]);
    expect(baseFonts.length).toBeGreaterThan(0);
    for (const name of baseFonts) expect(name).toMatch(/^[A-Z]{6}\+NotoSansJP-Regular$/);
    expect(raw).toContain("/FontFile2");
    expect(raw).not.toContain("Helvetica");
    expect(sample.length).toBeLessThan(300_000);
    expect(sample.length).toBeLessThan(japaneseFont().length / 10);
  });

  it("carries the document's title, author, language and the model's generation time", () => {
    expect(read.info.Title).toBe("都市外交推進状況報告（2026年11月） / City Diplomacy Progress Report (November 2026)");
    expect(read.info.Author).toBe("Tokyo Metropolitan Government");
    expect(read.info.Subject).toEqual(expect.stringContaining("2026-11-01"));
    expect(read.info.Language).toBe("ja");
    // 2026-12-01T06:00:04+09:00 in UTC.
    expect(read.info.CreationDate).toBe("D:20261130210004Z");
  });

  it("gives the same bytes for the same model", async () => {
    const again = await renderPdf(aReportModel());
    expect(again.equals(sample)).toBe(true);
  });
});

describe("renderPdf: long and empty lists", () => {
  it("breaks a long table across pages, repeating its header, without losing or repeating a row", async () => {
    const base = aReportModel();
    const template = base.exchanges.placements[0] as PlacementRow;
    const placements = Array.from({ length: 200 }, (_, i) => ({
      ...template,
      placementId: `plc-2026-${String(i + 1).padStart(3, "0")}`,
    }));
    const pdf = await readPdf(await renderPdf(aReportModel({ exchanges: { ...base.exchanges, placements } })));

    expect(pdf.pages.length).toBeGreaterThan(read.pages.length);
    const text = allText(pdf);
    for (const { placementId } of placements) expect(occurrences(text, placementId)).toBe(1);
    const pagesWithPlacements = pdf.pages.map(squeeze).filter((page) => /plc-2026-\d{3}/.test(page));
    expect(pagesWithPlacements.length).toBeGreaterThan(2);
    const host = COLUMNS.hostOrganisation;
    for (const page of pagesWithPlacements) expect(page).toContain(squeeze(`${host.ja} ${host.en}`));
    pdf.pages.forEach((page, index) => {
      expect(squeeze(page).endsWith(`${index + 1}/${pdf.pages.length}`)).toBe(true);
    });
  });

  it("prints a bilingual 'none' line for every empty list, and still every heading", async () => {
    const base = aReportModel();
    const empty: ReportModel = aReportModel({
      relations: { ...base.relations, rows: [] },
      visits: { ...base.visits, governorTrips: [], leaderVisits: [], conferences: [] },
      exchanges: { ...base.exchanges, quotas: [], placements: [] },
      fund: { ...base.fund, programmes: [] },
      attention: { dormant: [], reviewsDue: [], failedNotices: [], deadLetters: [] },
    });
    const text = allText(await readPdf(await renderPdf(empty)));
    expect(occurrences(text, NONE)).toBe(11);
    for (const title of Object.values(SECTION_TITLES)) expect(text).toContain(squeeze(title.ja));
  });

  it("prints 'none' for a chart with neither relations nor milestones", async () => {
    const base = aReportModel();
    const noHistory = aReportModel({ relations: { ...base.relations, series: [], milestones: [] } });
    const text = allText(await readPdf(await renderPdf(noHistory)));
    expect(occurrences(text, NONE)).toBe(1);
  });
});

describe("renderPdf: hostile strings", () => {
  it("still writes the report around very long text, emoji and characters the font lacks", async () => {
    const base = aReportModel();
    const unbroken = "A".repeat(20_000);
    const outsideTheFont = "🏯🎌😀 🇯🇵 𠮷野家 \uD800 \u0000 \u202Eevil\u202C ﷽";
    const notice = base.attention.failedNotices[0];
    if (!notice) throw new Error("the sample has a failed notice");
    const hostile = aReportModel({
      attention: {
        ...base.attention,
        failedNotices: [
          { ...notice, noticeId: "ntc-hostile", subject: unbroken, reason: outsideTheFont },
          {
            ...notice,
            noticeId: "ntc-after",
            partner: { ja: `テスト市${outsideTheFont}`, en: `Test City ${unbroken}` },
          },
        ],
        reviewsDue: base.attention.reviewsDue.map((review) => ({
          ...review,
          title: { ja: "東京都との協力に関する覚書".repeat(2_000), en: `${unbroken} ${unbroken}` },
        })),
      },
    });

    const pdf = await renderPdf(hostile);
    const text = allText(await readPdf(pdf));
    expect(text).toContain("ntc-hostile");
    expect(text).toContain("ntc-after");
    expect(text).toContain("テスト市");
    expect(text).toContain(squeeze(SECTION_TITLES.attention.ja));
    // Cut to what a cell can show, not 20,000 characters of a run no one can read.
    expect(occurrences(text, "A".repeat(1_000))).toBe(0);
  });

  it("refuses a model whose generation time is not a date, rather than stamp another time", async () => {
    await expect(renderPdf(aReportModel({ generatedAt: "yesterday" }))).rejects.toThrow(RangeError);
  });
});
