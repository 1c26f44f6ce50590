import { LineChart, type LineSeriesOption, ScatterChart, type ScatterSeriesOption } from "echarts/charts";
import {
  type GridComponentOption,
  GridSimpleComponent,
  type LegendComponentOption,
  LegendPlainComponent,
  MarkLineComponent,
  type MarkLineComponentOption,
} from "echarts/components";
import { type ComposeOption, init, setPlatformAPI, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { create as createFont, type Font } from "fontkit";
import type { Bilingual, ReportModel } from "../domain/report-model.ts";
import { japaneseFont } from "./font.ts";
import { formatDate } from "./format.ts";
import { CHART } from "./labels.ts";

/**
 * The line chart of concrete relations over time against the strategy's milestones, rendered server-side to
 * an SVG string (Apache ECharts SSR) that the HTML embeds inline and other formats can rasterise.
 */

export const CHART_FONT_STACK = "'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', sans-serif";

type RelationsChartOption = ComposeOption<
  LineSeriesOption | ScatterSeriesOption | GridComponentOption | LegendComponentOption | MarkLineComponentOption
>;

const RELATIONS_COLOUR = "#1f5fa8";
const MILESTONES_COLOUR = "#b3261e";
const TEXT_COLOUR = "#333333";

export interface RelationsChartOptions {
  readonly width: number;
  readonly height: number;
  /** Prefix of the ids of the SVG's `<title>` and `<desc>`: unique within the document that embeds it. */
  readonly idPrefix?: string;
}

/** "具体的な関係 Concrete relations": how the chart shows a bilingual name, Japanese first. */
function inline(text: Bilingual): string {
  return `${text.ja} ${text.en}`;
}

// --- Text metrics --------------------------------------------------------------------------------------------

const DEFAULT_FONT_SIZE_PX = 12;
const MAX_CACHED_WIDTHS = 5_000;

let reportFont: Font | undefined;
/** Advance widths in font units, by text: ECharts measures the same tick labels and names again and again. */
const advanceCache = new Map<string, number>();

function loadedFont(): Font {
  if (!reportFont) {
    const fontOrCollection = createFont(japaneseFont());
    if (!("layout" in fontOrCollection)) throw new Error("The report font is a collection, not a single font");
    reportFont = fontOrCollection;
  }
  return reportFont;
}

/**
 * The width in px of `text` set in the report font at the size in the CSS font shorthand `cssFont`
 * (e.g. `normal normal 12px 'Noto Sans JP', sans-serif`), from the font's own advance widths.
 */
export function measureTextWidth(text: string, cssFont?: string): number {
  const sizeMatch = cssFont ? /(\d+(?:\.\d+)?)px/.exec(cssFont) : null;
  const fontSizePx = sizeMatch?.[1] ? Number(sizeMatch[1]) : DEFAULT_FONT_SIZE_PX;
  let advance = advanceCache.get(text);
  if (advance === undefined) {
    const font = loadedFont();
    advance = font.layout(text).advanceWidth / font.unitsPerEm;
    if (advanceCache.size >= MAX_CACHED_WIDTHS) advanceCache.clear();
    advanceCache.set(text, advance);
  }
  return advance * fontSizePx;
}

let echartsReady = false;

/**
 * Registers the chart types and gives ECharts real text metrics. Without a canvas it guesses one em per
 * non-ASCII character and Arial widths for ASCII, which misplaces bilingual labels and legends. Lazy, so
 * that importing this module reads no font; must run before the first render, since ECharts caches widths.
 */
function ensureEchartsReady(): void {
  if (echartsReady) return;
  // The "simple" grid and "plain" legend leave out the axis pointer and legend scrolling: nothing to
  // interact with in a static SVG, and 30 kB less to bundle.
  use([LineChart, ScatterChart, GridSimpleComponent, LegendPlainComponent, MarkLineComponent, SVGRenderer]);
  setPlatformAPI({ measureText: (text, font) => ({ width: measureTextWidth(text, font) }) });
  echartsReady = true;
}

// --- The chart -----------------------------------------------------------------------------------------------

interface CountPoint {
  readonly date: string;
  readonly count: number;
}

/** The step series drawn: the model's points, carried on to the end of the period at the period's total. */
function plottedSeries(model: ReportModel): CountPoint[] {
  const points = [...model.relations.series];
  const last = points.at(-1);
  if (!last || last.date < model.period.to) points.push({ date: model.period.to, count: model.relations.total });
  return points;
}

/** The count on `date`: the last change on or before it (ISO dates order as strings). */
function countOn(series: readonly CountPoint[], date: string): number {
  let count = 0;
  for (const point of series) {
    if (point.date > date) break;
    count = point.count;
  }
  return count;
}

/** The earliest date drawn: the first change or the first milestone. */
function xAxisStart(model: ReportModel): string {
  const dates = [
    ...model.relations.series.map((point) => point.date),
    ...model.relations.milestones.map((m) => m.date),
  ];
  let earliest = model.period.from;
  // ISO dates order as strings.
  for (const date of dates) if (date < earliest) earliest = date;
  return earliest;
}

function decadeOf(isoDate: string, rounding: "floor" | "ceil"): number {
  const year = Number(isoDate.slice(0, 4));
  return rounding === "floor" ? Math.floor(year / 10) * 10 : Math.floor(year / 10) * 10 + 10;
}

export function relationsChartSvg(model: ReportModel, options: RelationsChartOptions): string {
  ensureEchartsReady();
  const { width, height, idPrefix = "relations-chart" } = options;
  const { milestones, series } = model.relations;
  const firstDecade = decadeOf(xAxisStart(model), "floor");
  const lastDecade = decadeOf(model.period.to, "ceil");
  const decades = (lastDecade - firstDecade) / 10;
  const chart = init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    const option: RelationsChartOption = {
      animation: false,
      textStyle: { fontFamily: CHART_FONT_STACK, color: TEXT_COLOUR, fontSize: 12 },
      legend: {
        top: 4,
        right: 8,
        itemGap: 20,
        textStyle: { color: TEXT_COLOUR, fontSize: 12 },
        data: [inline(CHART.relationsSeries), inline(CHART.milestonesSeries)],
      },
      grid: { left: 48, right: 28, top: 64, bottom: 52 },
      xAxis: {
        type: "time",
        name: inline(CHART.xAxis),
        nameLocation: "middle",
        nameGap: 30,
        nameTextStyle: { color: TEXT_COLOUR },
        // Whole decades either side, so that the ticks fall on round years.
        min: `${firstDecade}-01-01`,
        max: `${lastDecade}-01-01`,
        // One tick a decade (ECharts rounds the year interval to span / splitNumber); every other one if crowded.
        splitNumber: decades <= 8 ? decades : Math.ceil(decades / 2),
        axisLabel: { color: TEXT_COLOUR, hideOverlap: true },
        axisLine: { lineStyle: { color: "#767676" } },
        splitLine: { show: false },
      },
      yAxis: {
        type: "value",
        min: 0,
        minInterval: 1,
        name: inline(CHART.yAxis),
        nameLocation: "end",
        nameGap: 16,
        nameTextStyle: { color: TEXT_COLOUR, align: "left" },
        axisLabel: { color: TEXT_COLOUR },
        splitLine: { lineStyle: { color: "#e3e6ea" } },
      },
      series: [
        {
          type: "line",
          name: inline(CHART.relationsSeries),
          // Cumulative: the count holds until the date it changes on.
          step: "end",
          color: RELATIONS_COLOUR,
          lineStyle: { width: 2.5 },
          areaStyle: { opacity: 0.08 },
          symbol: "circle",
          symbolSize: 6,
          emphasis: { disabled: true },
          data: plottedSeries(model).map((point, index) => ({
            value: [point.date, point.count],
            // The carried-on end of the line is no change: no dot.
            symbol: index < series.length ? "circle" : "none",
          })),
        },
        {
          type: "scatter",
          name: inline(CHART.milestonesSeries),
          color: MILESTONES_COLOUR,
          symbol: "diamond",
          symbolSize: 14,
          emphasis: { disabled: true },
          label: {
            show: true,
            opacity: 1,
            position: "left",
            distance: 10,
            color: TEXT_COLOUR,
            lineHeight: 16,
            // Keeps the words legible where the milestone's dashed line runs behind them.
            backgroundColor: "#ffffff",
            padding: [2, 4],
            formatter: (params: { dataIndex: number }) => {
              const milestone = milestones[params.dataIndex];
              return milestone ? `${milestone.label.ja}\n${milestone.label.en}` : "";
            },
          },
          data: milestones.map((milestone) => [milestone.date, milestone.target]),
          markLine: {
            silent: true,
            // Behind the milestones' labels.
            z: 1,
            symbol: "none",
            label: { show: false },
            lineStyle: { color: MILESTONES_COLOUR, type: "dashed", width: 1, opacity: 0.6 },
            data: milestones.map((milestone) => ({ yAxis: milestone.target })),
          },
        },
      ],
    };
    chart.setOption(option);
    return withAccessibleName(withoutHoverStyles(chart.renderToSVGString({ useViewBox: true })), model, idPrefix);
  } finally {
    chart.dispose();
  }
}

/**
 * ECharts adds a `<style>` of hover effects, which mean nothing in a static report, would apply to the whole
 * page once inlined, and which mail clients strip from a body anyway. (Model text is escaped, so it cannot
 * contain a `<style>` of its own.)
 */
function withoutHoverStyles(svg: string): string {
  return svg.replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, "");
}

/** Escapes text for XML (and HTML) content and quoted attribute values. */
export function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** `role="img"`, named by a `<title>` and described by a `<desc>` (the text alternative), in both languages. */
function withAccessibleName(svg: string, model: ReportModel, idPrefix: string): string {
  const description = relationsChartDescription(model);
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  const openingTag = /^<svg\b[^>]*>/.exec(svg);
  if (!openingTag) throw new Error("ECharts rendered no <svg> element");
  const opened = openingTag[0].replace(
    /^<svg\b/,
    `<svg role="img" aria-labelledby="${escapeXml(titleId)}" aria-describedby="${escapeXml(descId)}"`,
  );
  const accessibleText =
    `<title id="${escapeXml(titleId)}">${escapeXml(`${CHART.title.ja} ${CHART.title.en}`)}</title>` +
    `<desc id="${escapeXml(descId)}">${escapeXml(`${description.ja} ${description.en}`)}</desc>`;
  return `${opened}${accessibleText}${svg.slice(openingTag[0].length)}`;
}

/** The chart's text alternative: what it shows, as a short paragraph in each language. */
export function relationsChartDescription(model: ReportModel): Bilingual {
  const { milestones, series, total } = model.relations;
  const periodEnd = formatDate(model.period.to);
  const first = series[0];
  const last = series.at(-1);

  const ja: string[] = [`${CHART.title.ja}を示す折れ線グラフ。`];
  const en: string[] = ["Line chart of the number of concrete relations over time."];
  if (first && last) {
    const firstOn = formatDate(first.date);
    const lastOn = formatDate(last.date);
    ja.push(`${firstOn.ja}の${first.count}件から、${lastOn.ja}に${last.count}件となった。`);
    en.push(`From ${first.count} on ${firstOn.en} to ${last.count} on ${lastOn.en}.`);
  } else {
    ja.push("まだ具体的な関係はない。");
    en.push("There are no concrete relations yet.");
  }
  ja.push(`期末（${periodEnd.ja}）時点で${total}件。`);
  en.push(`${total} at the end of the period (${periodEnd.en}).`);
  for (const milestone of milestones) {
    const due = formatDate(milestone.date);
    const achieved = countOn(series, milestone.date);
    ja.push(`目標「${milestone.label.ja}」：${due.ja}までに${milestone.target}件（同日時点の実績${achieved}件）。`);
    en.push(`Milestone “${milestone.label.en}”: ${milestone.target} by ${due.en} (${achieved} by then).`);
  }
  return { ja: ja.join(""), en: en.join(" ") };
}
