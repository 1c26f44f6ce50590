import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { AxeResults, Result } from "axe-core";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aReportModel } from "../src/domain/report-builders.ts";
import type { ReportModel } from "../src/domain/report-model.ts";
import { japaneseFont, REPORT_FONT_FAMILY } from "../src/render/font.ts";
import { renderHtml } from "../src/render/html.ts";

/**
 * The report's HTML in a real headless Chromium, checked with axe-core against WCAG 2.1 A/AA (what
 * JIS X 8341-3:2016 AA asks) and axe's best practices, and photographed for a person to look at.
 */

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// This machine has no internet: without these Chromium hangs or fails reaching Google's services.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
// A4 at 96 dpi, photographed at twice the density.
const A4_VIEWPORT = { width: 794, height: 1123 };

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

function describeViolation(violation: Result): string {
  const where = violation.nodes
    .map((node) => `    at ${node.target.join(" ")}\n      ${(node.failureSummary ?? "").replaceAll("\n", "\n      ")}`)
    .join("\n");
  return `${violation.impact} ${violation.id}: ${violation.help} (${violation.helpUrl})\n${where}`;
}

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

async function runAxe(page: Page): Promise<AxeResults> {
  await page.addScriptTag({ content: axeSource });
  return (await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(AXE_TAGS)} } })`,
  )) as AxeResults;
}

function seriousViolations(results: AxeResults): string[] {
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(describeViolation);
}

/** A report with everything a reader must act on, and every list empty that can be. */
function aTroubledReport(): ReportModel {
  const sample = aReportModel();
  return aReportModel({
    relations: {
      ...sample.relations,
      rows: sample.relations.rows.map((row, index) => ({ ...row, inPeriod: index === 0 })),
    },
    visits: { ...sample.visits, tripsCommitted: 4, budgetCommittedYen: 50_000_000, leaderVisits: [], conferences: [] },
    exchanges: { ...sample.exchanges, placements: [] },
    fund: {
      ...sample.fund,
      reconciliation: { status: "failed", checkedAt: "2026-11-30T23:30:00+09:00", mismatches: 2 },
    },
    attention: {
      ...sample.attention,
      dormant: [],
      reviewsDue: [],
      deadLetters: [{ queue: "notifications", count: 3 }],
    },
  });
}

describe("the report's HTML in a browser", () => {
  let browser: Browser | undefined;
  let samplePage: Page | undefined;
  /** Why Chromium did not start: every test fails with it (a failing beforeAll would only mark them skipped). */
  let launchFailure: Error | undefined;
  const fontBase64 = japaneseFont().toString("base64");

  function startedBrowser(): Browser {
    if (launchFailure) throw launchFailure;
    if (!browser) throw new Error("Chromium did not start");
    return browser;
  }

  /** The sample report, opened once for the tests that only read it. */
  function sampleReport(): Page {
    startedBrowser();
    if (!samplePage) throw new Error("The sample report did not open");
    return samplePage;
  }

  /** A new A4-wide page showing the report for `model` in the report font. */
  async function openReport(model: ReportModel): Promise<Page> {
    const page = await startedBrowser().newPage({ viewport: A4_VIEWPORT, deviceScaleFactor: 2 });
    await page.setContent(renderHtml(model));
    // The machine has no Japanese system font: give the page the report's own, as a reader's system would.
    await page.addStyleTag({
      content: `@font-face { font-family: '${REPORT_FONT_FAMILY}'; src: url(data:font/ttf;base64,${fontBase64}) format('truetype'); }`,
    });
    await page.evaluate("document.fonts.ready");
    return page;
  }

  beforeAll(async () => {
    try {
      if (!existsSync(CHROMIUM_PATH)) {
        throw new Error(
          `No Chromium at ${CHROMIUM_PATH}: install it (e.g. apt-get install chromium) or set CHROMIUM_PATH to its executable`,
        );
      }
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      samplePage = await openReport(aReportModel());
    } catch (error) {
      launchFailure = new Error(`Chromium could not show the report: ${String(error)}`, { cause: error });
    }
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("renders its Japanese in the report font", async () => {
    const page = sampleReport();
    // Loads the face for the text if it is not yet (a face is fetched only once some text uses it).
    await page.evaluate(`document.fonts.load("16px '${REPORT_FONT_FAMILY}'", "都市外交")`);
    expect(await page.evaluate(`document.fonts.check("16px '${REPORT_FONT_FAMILY}'", "都市外交推進状況報告")`)).toBe(
      true,
    );
    expect(await page.evaluate("document.documentElement.lang")).toBe("ja");
    expect(await page.evaluate("document.querySelector('h1').innerText")).toBe(
      "都市外交推進状況報告\nCity Diplomacy Progress Report",
    );
  });

  it("has no serious or critical WCAG 2.1 AA or best-practice violations (axe-core)", { timeout: 60_000 }, async () => {
    const results = await runAxe(sampleReport());
    // axe really looked: the rules that matter most for this report ran and passed.
    const passed = results.passes.map((rule) => rule.id);
    for (const rule of [
      "color-contrast",
      "html-has-lang",
      "valid-lang",
      "heading-order",
      "th-has-data-cells",
      "svg-img-alt",
    ]) {
      expect(passed).toContain(rule);
    }
    expect(seriousViolations(results)).toEqual([]);
  });

  it("has none either with warnings shown and lists empty", { timeout: 60_000 }, async () => {
    const troubled = await openReport(aTroubledReport());
    try {
      const text = String(await troubled.evaluate("document.body.innerText"));
      expect(text).toContain("上限超過");
      expect(text).toContain("不一致あり");
      expect(text).toContain("該当なし");
      expect(seriousViolations(await runAxe(troubled))).toEqual([]);
    } finally {
      await troubled.close();
    }
  });

  it("photographs the first page, A4 wide", { timeout: 60_000 }, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = `${ARTIFACTS}report-first-page.png`;
    const png = await sampleReport().screenshot({ path, fullPage: false });
    // 2× an A4 page at 96 dpi: the PNG's IHDR width and height.
    expect(png.readUInt32BE(16)).toBe(A4_VIEWPORT.width * 2);
    expect(png.readUInt32BE(20)).toBe(A4_VIEWPORT.height * 2);
    expect(existsSync(path)).toBe(true);
  });
});
