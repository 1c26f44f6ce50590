import type { Bilingual, ReportModel } from "../domain/report-model.ts";
import { escapeXml, relationsChartDescription, relationsChartSvg } from "./chart.ts";
import { REPORT_FONT_FAMILY } from "./font.ts";
import { formatAmount, formatCount, formatDate, formatDateRange, formatDateTime } from "./format.ts";
import { CHART, ISSUER, KEY_FIGURES, NOTES, REPORT_FACTS, SECTION_TITLES, WORDS } from "./labels.ts";
import {
  bodyLines,
  REPORT_SECTION_IDS,
  type ReportField,
  type ReportLine,
  type ReportSectionId,
  type ReportTable,
  type ReportTableId,
  type ReportValue,
  type RowMark,
  reportTables,
} from "./tables.ts";

/**
 * The report as one self-contained HTML5 document (inline CSS, inline SVG chart, no script, nothing fetched):
 * the e-mail body and the archived S3 object. Built for JIS X 8341-3:2016 / WCAG 2.1 AA: Japanese page with
 * English parts marked `lang="en"`, headings in order, tables with captions and scoped headers, a text
 * alternative for the chart. Every string from the model is escaped: it comes from user input.
 *
 * The tables are `reportTables`, as the PDF, the workbook and the CSV have them: the same titles, columns and
 * values, in the same order; the words are those of `labels.ts`, the dates and amounts those of `format.ts`.
 */

const CHART_WIDTH = 720;
const CHART_HEIGHT = 360;
const CHART_ID_PREFIX = "relations-chart";

/** Escapes text for HTML element content and double- or single-quoted attribute values: as for XML. */
export function escapeHtml(text: string): string {
  return escapeXml(text);
}

// --- Formatting ----------------------------------------------------------------------------------------------

/**
 * Japanese, then the English beside it, marked as English; both escaped. CSS puts English on its own line. Once
 * when the two are the same ("ID").
 */
function bilingual(text: Bilingual): string {
  const ja = `<span class="ja">${escapeHtml(text.ja)}</span>`;
  return text.ja === text.en ? ja : `${ja} <span class="en" lang="en">${escapeHtml(text.en)}</span>`;
}

/** A date (or date and time) that may wrap after its year but never inside `10月1日`: narrow columns stay legible. */
function dateHtml(date: Bilingual): string {
  const ja = date.ja
    .split(/(?<=年)/)
    .map((part) => `<span class="nowrap">${escapeHtml(part)}</span>`)
    .join("");
  return `<span class="ja">${ja}</span> <span class="en" lang="en">${escapeHtml(date.en)}</span>`;
}

function badge(text: Bilingual, kind: "ok" | "warning" | "neutral"): string {
  return `<span class="badge badge-${kind}">${bilingual(text)}</span>`;
}

const noneParagraph = `<p class="none">${bilingual(WORDS.none)}</p>`;

// --- Tables --------------------------------------------------------------------------------------------------

const MARK_CLASS: Record<RowMark, string> = { new: "highlight", summary: "total", muted: "cancelled", alert: "alert" };

const isNumeric = (field: ReportField): boolean => field.kind === "yen" || field.kind === "count";

/**
 * The field that heads each row (`<th scope="row">`): the first name (a partner, a programme), else the first
 * text or word; none when every field is a number or a date.
 */
function rowHeaderIndex(fields: readonly ReportField[]): number {
  const name = fields.findIndex((field) => field.kind === "name");
  if (name >= 0) return name;
  return fields.findIndex((field) => field.kind === "text" || field.kind === "id" || field.kind === "word");
}

function valueHtml(value: ReportValue): string {
  switch (value.kind) {
    case "text":
      return escapeHtml(value.text);
    case "id":
      return `<code>${escapeHtml(value.text)}</code>`;
    case "name":
      return bilingual(value.text);
    case "word":
      return value.flag ? badge(value.text, value.flag === "good" ? "ok" : "warning") : bilingual(value.text);
    case "date":
      return dateHtml(formatDate(value.iso));
    case "datetime":
      return dateHtml(formatDateTime(value.iso));
    case "yen":
      return formatAmount(value.value);
    case "count":
      return formatCount(value.value);
  }
}

/** A cell's HTML: an empty value as its field's word for it (blank in the total row), a note as a badge. */
function cellHtml(field: ReportField, value: ReportValue | null, inTotal: boolean): string {
  if (value === null) return !inTotal && field.empty ? bilingual(field.empty) : "";
  const note = value.note ? ` ${badge(value.note, value.flag === "alert" ? "warning" : "neutral")}` : "";
  return `${valueHtml(value)}${note}`;
}

function cellClasses(field: ReportField, value: ReportValue | null): string {
  const classes = [
    isNumeric(field) ? "num" : "",
    // Short fixed words: their Japanese should not break across lines.
    field.kind === "word" ? "keep" : "",
    isNumeric(field) && value?.flag === "alert" ? "warn" : "",
  ].filter(Boolean);
  return classes.length > 0 ? ` class="${classes.join(" ")}"` : "";
}

/**
 * A table of the report under its title, which is both the table's caption and a heading (an `<h3>` in the
 * `<caption>`), so the table is named and the report navigable by headings. No rows make a "none" paragraph under
 * the title, not an empty table; the total row is the table's `<tfoot>`.
 */
function reportTable(table: ReportTable): string {
  const title = `<h3>${bilingual(table.title)}</h3>`;
  const body = bodyLines(table);
  if (body.length === 0) return `${title}\n${noneParagraph}`;
  const headerIndex = rowHeaderIndex(table.fields);
  const cells = (line: ReportLine, inTotal: boolean): string =>
    table.fields
      .map((field, index) => {
        const value = line.values[index] ?? null;
        const attributes = cellClasses(field, value);
        const content = cellHtml(field, value, inTotal);
        return index === headerIndex
          ? `<th scope="row"${attributes}>${content}</th>`
          : `<td${attributes}>${content}</td>`;
      })
      .join("");
  const head = table.fields
    .map((field) => `<th scope="col"${isNumeric(field) ? ' class="num"' : ""}>${bilingual(field.header)}</th>`)
    .join("");
  const rows = body
    .map((line) => `<tr${line.mark ? ` class="${MARK_CLASS[line.mark]}"` : ""}>${cells(line, false)}</tr>`)
    .join("\n");
  const total = table.totalRow ? table.lines.at(-1) : undefined;
  const foot = total ? `<tfoot><tr>${cells(total, true)}</tr></tfoot>` : "";
  return `<table>
<caption>${title}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>${foot}
</table>`;
}

// --- Sections ------------------------------------------------------------------------------------------------

/** A numbered section: its tables of `reportTables` in order, after `lead` and each followed by its `notes`. */
function section(
  id: ReportSectionId,
  tables: readonly ReportTable[],
  lead = "",
  notes: Partial<Record<ReportTableId, string>> = {},
): string {
  const content = tables
    .filter((table) => table.sectionId === id)
    .map((table) => [reportTable(table), notes[table.id]].filter(Boolean).join("\n"));
  return `<section id="${id}" aria-labelledby="${id}-heading">
<h2 id="${id}-heading">${bilingual(SECTION_TITLES[id])}</h2>
${[lead, ...content].filter(Boolean).join("\n")}
</section>`;
}

function relationsChart(model: ReportModel): string {
  const description = relationsChartDescription(model);
  return `<figure class="chart">
${relationsChartSvg(model, { width: CHART_WIDTH, height: CHART_HEIGHT, idPrefix: CHART_ID_PREFIX })}
<figcaption>
<p class="figure-title">${bilingual({ ja: `${CHART.figure.ja} ${CHART.title.ja}`, en: `${CHART.figure.en} ${CHART.title.en}` })}</p>
<p>${escapeHtml(description.ja)}</p>
<p lang="en">${escapeHtml(description.en)}</p>
</figcaption>
</figure>`;
}

function note(text: Bilingual): string {
  return `<p class="table-note">※ ${bilingual(text)}</p>`;
}

function header(model: ReportModel): string {
  const { period, visits, fund, relations } = model;
  const range = formatDateRange(period.from, period.to);
  const generated = formatDateTime(model.generatedAt);
  // A figure, and the limit it is counted against in smaller type.
  const keyFigures: readonly [Bilingual, string, string?][] = [
    [KEY_FIGURES.relations, formatCount(relations.total)],
    [KEY_FIGURES.trips, formatCount(visits.tripsCommitted), formatCount(visits.tripCap)],
    [KEY_FIGURES.travelCosts, formatAmount(visits.budgetCommittedYen), formatAmount(visits.travelBudgetYen)],
    [KEY_FIGURES.fundAvailable, formatAmount(fund.totals.availableYen)],
  ];
  return `<header class="report-header">
<p class="issuer">${bilingual(ISSUER)}</p>
<h1>${bilingual(model.title)}</h1>
<dl class="meta">
<div><dt>${bilingual(REPORT_FACTS.period)}</dt><dd>${bilingual({
    ja: `${period.label.ja}（${range.ja}）`,
    en: `${period.label.en} (${range.en})`,
  })}</dd></div>
<div><dt>${bilingual(REPORT_FACTS.generatedAt)}</dt><dd>${bilingual(generated)}</dd></div>
<div><dt>${bilingual(REPORT_FACTS.reportId)}</dt><dd><code>${escapeHtml(model.reportId)}</code></dd></div>
</dl>
<dl class="key-figures">
${keyFigures
  .map(
    ([label, value, limit]) =>
      `<div><dt>${bilingual(label)}</dt><dd>${value}${limit ? `<span class="limit"> / ${limit}</span>` : ""}</dd></div>`,
  )
  .join("\n")}
</dl>
</header>`;
}

function sections(model: ReportModel): string {
  const tables = reportTables(model);
  return REPORT_SECTION_IDS.map((id) =>
    section(
      id,
      tables,
      id === "relations" ? relationsChart(model) : "",
      id === "visits" ? { "trip-budget": note(NOTES.tripsCommitted) } : {},
    ),
  ).join("\n");
}

const STYLE = `
:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: #ffffff; color: #1a1a1a;
  font-family: "${REPORT_FONT_FAMILY}", "Hiragino Sans", "Yu Gothic", sans-serif;
  font-size: 14px; line-height: 1.65;
}
.page { max-width: 1040px; margin: 0 auto; padding: 28px 32px 40px; }
.en { color: #4a4a4a; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em; overflow-wrap: break-word; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.report-header { border-top: 8px solid #1f4e8c; padding-top: 16px; margin-bottom: 8px; }
.issuer { margin: 0; font-size: 13px; color: #1f4e8c; font-weight: bold; letter-spacing: 0.04em; }
.issuer .en { color: #1f4e8c; font-weight: normal; }
h1 { margin: 4px 0 12px; font-size: 28px; line-height: 1.3; color: #10233f; }
h1 .en { display: block; font-size: 17px; font-weight: normal; margin-top: 2px; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 0 0 16px; font-size: 13px; }
.meta div { display: flex; gap: 8px; }
.meta dt { font-weight: bold; }
.meta dt .en, .meta dd .en { font-weight: normal; }
.meta dd { margin: 0; }
.key-figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 0 0 8px; }
.key-figures div { background: #f2f5f9; border-left: 4px solid #1f4e8c; padding: 8px 12px; }
.key-figures dt { font-size: 12px; line-height: 1.4; }
.key-figures dt .en { display: block; }
.key-figures dd { margin: 4px 0 0; font-size: 18px; font-weight: bold; font-variant-numeric: tabular-nums; color: #10233f; }
.key-figures .limit { font-size: 13px; font-weight: normal; color: #333333; white-space: nowrap; }
h2 {
  margin: 36px 0 12px; padding: 6px 0 6px 12px; font-size: 20px; line-height: 1.35; color: #10233f;
  border-left: 6px solid #1f4e8c; background: #eef2f7;
}
h2 .en { display: block; font-size: 14px; font-weight: normal; }
h3 { margin: 24px 0 6px; font-size: 16px; line-height: 1.4; color: #10233f; }
h3 .en { font-size: 13px; font-weight: normal; margin-left: 6px; }
p { margin: 6px 0; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 16px; font-size: 13px; line-height: 1.5; }
caption { caption-side: top; text-align: left; padding: 0; }
caption h3 { margin-bottom: 6px; }
th, td { padding: 6px 6px; text-align: left; vertical-align: top; border-bottom: 1px solid #d3dae3; }
thead th { background: #eef2f7; border-bottom: 2px solid #1f4e8c; font-weight: bold; }
thead th .ja { word-break: keep-all; }
th .en, td .en { display: block; font-size: 11.5px; font-weight: normal; }
tbody th { font-weight: bold; min-width: 5em; }
.nowrap { white-space: nowrap; }
.keep .ja { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th.num, .num .en { white-space: normal; }
tfoot th, tfoot td { font-weight: bold; border-top: 2px solid #1f4e8c; border-bottom: none; background: #f7f9fb; }
tr.highlight th, tr.highlight td { background: #f1f8f2; }
tr.total th, tr.total td { font-weight: bold; background: #f7f9fb; }
tr.alert th, tr.alert td { background: #fdf0ef; }
tr.cancelled th, tr.cancelled td { color: #4a4a4a; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; line-height: 1.5; white-space: nowrap; }
.badge .en { display: inline; font-size: 11px; margin-left: 4px; color: inherit; }
.badge-ok { background: #e1f0e3; color: #174d1b; }
.badge-warning { background: #fde3e1; color: #80150f; }
.badge-neutral { background: #eceff3; color: #333333; }
.warn { color: #b3261e; font-weight: bold; }
.table-note { margin: -10px 0 16px; font-size: 12px; color: #333333; }
.table-note .en { display: block; }
.none { margin: 6px 0 16px; padding: 8px 12px; background: #f4f6f8; border-left: 4px solid #9aa5b1; color: #333333; }
.none .en { margin-left: 6px; }
figure.chart { margin: 12px 0 20px; padding: 12px; border: 1px solid #d3dae3; border-radius: 4px; }
figure.chart svg { display: block; width: 100%; height: auto; max-width: ${CHART_WIDTH}px; margin: 0 auto; }
figcaption { margin-top: 8px; font-size: 13px; color: #333333; }
figcaption p[lang="en"] { color: #4a4a4a; }
.figure-title { font-weight: bold; }
.figure-title .en { margin-left: 6px; }
.report-footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid #d3dae3; font-size: 12px; color: #333333; }
.report-footer .en { margin-left: 6px; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  caption, thead { break-after: avoid; }
  thead { display: table-header-group; }
  tr, figure.chart, .key-figures, .none { break-inside: avoid; page-break-inside: avoid; }
  section { break-before: auto; }
}
`;

/** The whole report as an HTML5 document. */
export function renderHtml(model: ReportModel): string {
  const documentTitle = `${model.title.ja} ${model.period.label.ja} — ${model.title.en}, ${model.period.label.en}`;
  return `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(documentTitle)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="page">
${header(model)}
<main>
${sections(model)}
</main>
<footer class="report-footer">
<p>${bilingual(NOTES.authentic)}</p>
</footer>
</div>
</body>
</html>
`;
}
