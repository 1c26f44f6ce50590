import { create as createFontkitFont, type Font } from "fontkit";
import PDFDocument from "pdfkit";
import type { Bilingual, RelationsSection, ReportModel } from "../domain/report-model.ts";
import { japaneseFont } from "./font.ts";
import { bilingualText, formatAmount, formatCount, formatDate, formatDateRange, formatDateTime } from "./format.ts";
import { CHART, continuedTitle, ISSUER, KEY_FIGURES, NOTES, REPORT_FACTS, SECTION_TITLES, WORDS } from "./labels.ts";
import {
  bodyLines,
  REPORT_SECTION_IDS,
  type ReportField,
  type ReportLine,
  type ReportTable,
  type ReportValue,
  reportTables,
} from "./tables.ts";

/**
 * The report as a PDF: A4, Japanese first with English beside or after it, every string real text in the
 * embedded Japanese font (pdfkit writes a subset of the glyphs used, with a ToUnicode map, so the text can be
 * selected, searched and extracted). Deterministic: the same model gives the same bytes.
 */
export async function renderPdf(model: ReportModel): Promise<Buffer> {
  const generatedAt = new Date(model.generatedAt);
  if (Number.isNaN(generatedAt.getTime())) {
    throw new RangeError(`The report's generatedAt is not a date: ${model.generatedAt}`);
  }
  const doc = new Document({
    size: "A4",
    margins: MARGINS,
    font: reportFont(),
    // The footer's "1 / 3" needs the page count, known only once every page is written.
    bufferPages: true,
    lang: "ja",
    displayTitle: true,
    info: {
      Title: `${model.title.ja}（${model.period.label.ja}） / ${model.title.en} (${model.period.label.en})`,
      Author: ISSUER.en,
      Subject: `${model.period.from}〜${model.period.to}の都市外交の推進状況 / Progress of city diplomacy, ${model.period.from} to ${model.period.to}`,
      Creator: "City Diplomacy Platform",
      Producer: "PDFKit",
      CreationDate: generatedAt,
    },
  });
  const bytes = collect(doc);
  const page = pageFrame(doc);

  drawTitle(page, model);
  drawSections(page, model);
  drawFooters(page, model);

  doc.end();
  return bytes;
}

/**
 * pdfkit 0.20 takes the default font as a parsed fontkit font (`PDFFontFactory.open`), so a document never loads
 * Helvetica's metrics, which it requires from `#standard-fonts/*` at construction: a specifier only pdfkit's own
 * package.json resolves, so it fails once pdfkit is bundled. @types/pdfkit 0.17 still types `font` as a name or path.
 */
interface DocumentOptions extends Omit<PDFKit.PDFDocumentOptions, "font"> {
  readonly font: Font;
}
const Document = PDFDocument as unknown as new (options: DocumentOptions) => PDFKit.PDFDocument;

let parsedFont: Font | undefined;

/** The Japanese font parsed once per container: fontkit keeps its glyphs and layout tables between documents. */
function reportFont(): Font {
  if (!parsedFont) {
    const font = createFontkitFont(japaneseFont());
    if ("fonts" in font) throw new Error("The report font is a font collection, not a single font");
    parsedFont = font;
  }
  return parsedFont;
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Layout

const MARGINS = { top: 48, bottom: 56, left: 48, right: 48 };

const COLOR = {
  text: "#1a1a1a",
  muted: "#5b6470",
  heading: "#1f3a5f",
  rule: "#c5cbd3",
  axis: "#8a939e",
  grid: "#e3e7ec",
  headerFill: "#e8edf3",
  totalFill: "#f3f5f8",
  series: "#1f6feb",
  milestone: "#c2410c",
  alert: "#b91c1c",
} as const;

const SIZE = {
  title: 20,
  titleEn: 13,
  sectionJa: 13,
  sectionEn: 9.5,
  subheading: 9.5,
  body: 9,
  cell: 8,
  cellSub: 7,
  header: 7.5,
  headerSub: 6.5,
  small: 7,
} as const;

/**
 * Cells longer than this are cut with an ellipsis: no table cell reads well beyond it, and pdfkit measures an
 * unbroken run again after every line it takes off, which grows with the square of the run's length.
 */
const MAX_CELL_CHARACTERS = 400;

interface PageFrame {
  readonly doc: PDFKit.PDFDocument;
  readonly left: number;
  readonly width: number;
  readonly top: number;
  readonly bottom: number;
}

function pageFrame(doc: PDFKit.PDFDocument): PageFrame {
  return {
    doc,
    left: MARGINS.left,
    width: doc.page.width - MARGINS.left - MARGINS.right,
    top: MARGINS.top,
    bottom: doc.page.height - MARGINS.bottom,
  };
}

function newPage(page: PageFrame): void {
  page.doc.addPage();
  page.doc.x = page.left;
  page.doc.y = page.top;
}

/** Starts a new page unless `height` more fits on this one. */
function ensureSpace(page: PageFrame, height: number): void {
  if (page.doc.y + height > page.bottom) newPage(page);
}

function clip(text: string, limit = MAX_CELL_CHARACTERS): string {
  // By code points, so that an emoji is never cut in half.
  const characters = Array.from(text);
  return characters.length <= limit ? text : `${characters.slice(0, limit - 1).join("")}…`;
}

interface TextStyle {
  readonly size: number;
  readonly color?: string;
  readonly align?: "left" | "right" | "center";
}

/**
 * Line breaks in the text are taken here, one paragraph at a time: pdfkit measures a `\n` as the font's .notdef
 * glyph (a full em in this font), which wraps the line before it early.
 */
function paragraphsOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function measure(doc: PDFKit.PDFDocument, text: string, width: number, style: TextStyle): number {
  if (text === "") return 0;
  doc.fontSize(style.size);
  return paragraphsOf(text).reduce(
    (sum, part) => sum + (part === "" ? doc.currentLineHeight(true) : doc.heightOfString(part, { width, lineGap: 0 })),
    0,
  );
}

/**
 * Draws text in a box, leaving the flow's position where it was (the layout moves it), and returns where the text
 * ends. Always with a height, so that pdfkit never starts a page of its own: text that outgrows the box ends in an
 * ellipsis instead.
 */
function drawText(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  width: number,
  height: number,
  style: TextStyle,
): number {
  if (text === "" || height <= 0) return y;
  const flow = { x: doc.x, y: doc.y };
  doc.fontSize(style.size).fillColor(style.color ?? COLOR.text);
  const lineHeight = doc.currentLineHeight(true);
  const bottom = y + height;
  let top = y;
  for (const part of paragraphsOf(text)) {
    if (top > y && bottom - top < lineHeight - 0.5) break;
    if (part === "") {
      top += lineHeight;
      continue;
    }
    doc.text(part, x, top, {
      width,
      height: bottom - top + 0.5,
      align: style.align ?? "left",
      ellipsis: true,
      lineGap: 0,
    });
    top = doc.y;
  }
  doc.x = flow.x;
  doc.y = flow.y;
  return top;
}

/** A paragraph in the flow: starts a page when it does not fit, and moves the flow below it. */
function paragraph(page: PageFrame, text: string, style: TextStyle, spaceAfter = 2): void {
  const content = clip(text, MAX_CELL_CHARACTERS * 2);
  const height = Math.min(measure(page.doc, content, page.width, style), page.bottom - page.top);
  ensureSpace(page, height);
  drawText(page.doc, content, page.left, page.doc.y, page.width, height, style);
  page.doc.y += height + spaceAfter;
}

function rule(page: PageFrame, y: number, color: string = COLOR.rule, width = 0.6): void {
  page.doc
    .moveTo(page.left, y)
    .lineTo(page.left + page.width, y)
    .lineWidth(width)
    .strokeColor(color)
    .stroke();
}

/** The numbered section heading: the Japanese line, then the English line, kept with what follows. */
function sectionHeading(page: PageFrame, title: Bilingual): void {
  const { doc } = page;
  const jaHeight = measure(doc, title.ja, page.width, { size: SIZE.sectionJa });
  const enHeight = measure(doc, title.en, page.width, { size: SIZE.sectionEn });
  if (doc.y > page.top) doc.y += 10;
  // Kept with the start of what follows: a heading alone at the foot of a page reads as the end of the report.
  ensureSpace(page, jaHeight + enHeight + 90);
  drawText(doc, title.ja, page.left, doc.y, page.width, jaHeight, { size: SIZE.sectionJa, color: COLOR.heading });
  doc.y += jaHeight;
  drawText(doc, title.en, page.left, doc.y, page.width, enHeight, { size: SIZE.sectionEn, color: COLOR.muted });
  doc.y += enHeight + 2;
  rule(page, doc.y, COLOR.heading, 0.8);
  doc.y += 6;
}

/** A heading within a section, on one line (`日本語 / English`), kept with the `keep` points that follow it. */
function subheading(page: PageFrame, title: Bilingual, keep: number): void {
  const { doc } = page;
  const text = bilingualText(title);
  const height = measure(doc, text, page.width, { size: SIZE.subheading });
  doc.y += 4;
  ensureSpace(page, height + 3 + keep);
  drawText(doc, text, page.left, doc.y, page.width, height, { size: SIZE.subheading, color: COLOR.heading });
  doc.y += height + 3;
}

const NONE_LINE_HEIGHT = 16;

function noneLine(page: PageFrame): void {
  paragraph(page, bilingualText(WORDS.none), { size: SIZE.cell, color: COLOR.muted }, 4);
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

/** A cell: its main text, and an optional second line in smaller type (the English beside the Japanese). */
interface Cell {
  readonly text: string;
  readonly sub?: string;
  readonly color?: string;
}

interface Column {
  readonly header: Bilingual;
  readonly align?: "left" | "right";
  /** Text that must stay on one line (a date, an amount, a status): the column is at least as wide. */
  readonly unbroken?: boolean;
}

interface TableOptions {
  /** A sub-heading above the table, kept on the page of its header and first row. */
  readonly title?: Bilingual;
  /** Above the header row on continuation pages, marked as continued; the title when there is one. */
  readonly caption?: Bilingual;
  /** Rows shaded as totals, by index. */
  readonly shaded?: ReadonlySet<number>;
}

const CELL_PADDING_X = 3;
const CELL_PADDING_Y = 3;
const SUB_GAP = 1;
/** No column is narrower, however little it holds. */
const MIN_COLUMN_WIDTH = 28;
/** The widest a column asks to be before the others get their share: longer text wraps. */
const MAX_NATURAL_WIDTH = 170;

/** Measures a line of text at a size, once per distinct text and size: a long table repeats its words. */
type LineWidth = (text: string, size: number) => number;

function lineWidths(doc: PDFKit.PDFDocument): LineWidth {
  const cache = new Map<string, number>();
  return (text, size) => {
    const key = `${size}\u0000${text}`;
    let width = cache.get(key);
    if (width === undefined) {
      width = doc.fontSize(size).widthOfString(text);
      cache.set(key, width);
    }
    return width;
  };
}

/** The width of the text's widest line, unwrapped. */
function singleLineWidth(width: LineWidth, text: string, size: number): number {
  return paragraphsOf(clip(text)).reduce((widest, part) => Math.max(widest, width(part, size)), 0);
}

/** The widest word of Latin script in `text` (`Outbound`, `plc-2026-001`): a column breaks no such word. */
function widestWord(width: LineWidth, text: string, size: number): number {
  return clip(text)
    .split(/\s+/)
    .filter((word) => /^[\u0021-\u024f]+$/.test(word) && word.length <= 24)
    .reduce((widest, word) => Math.max(widest, width(word, size)), 0);
}

/**
 * Column widths as a browser lays out an automatic table: each column asks for its content on one line (up to
 * `MAX_NATURAL_WIDTH`) and needs at least its unbroken text; when everything fits, the room left is shared out
 * in proportion, and when it does not, each column gets what it needs and a share of the rest in proportion to
 * how much more it asked for.
 */
function columnWidths(
  doc: PDFKit.PDFDocument,
  columns: readonly Column[],
  headerCells: readonly Cell[],
  rows: readonly (readonly Cell[])[],
  available: number,
): number[] {
  const padding = 2 * CELL_PADDING_X;
  const width = lineWidths(doc);
  const needs = columns.map((column, index) => {
    const header = headerCells[index];
    const headerWidth = header
      ? Math.max(
          singleLineWidth(width, header.text, SIZE.header),
          singleLineWidth(width, header.sub ?? "", SIZE.headerSub),
        )
      : 0;
    let natural = headerWidth;
    let minimum = Math.max(
      MIN_COLUMN_WIDTH,
      widestWord(width, header?.text ?? "", SIZE.header) + padding,
      widestWord(width, header?.sub ?? "", SIZE.headerSub) + padding,
      column.unbroken ? singleLineWidth(width, header?.text ?? "", SIZE.header) + padding : 0,
    );
    for (const cells of rows) {
      const cell = cells[index];
      if (!cell) continue;
      const main = singleLineWidth(width, cell.text, SIZE.cell);
      const sub = cell.sub ? singleLineWidth(width, cell.sub, SIZE.cellSub) : 0;
      natural = Math.max(natural, main, sub);
      minimum = Math.max(
        minimum,
        (column.unbroken ? main : widestWord(width, cell.text, SIZE.cell)) + padding,
        widestWord(width, cell.sub ?? "", SIZE.cellSub) + padding,
      );
    }
    return { natural: Math.max(minimum, Math.min(natural, MAX_NATURAL_WIDTH) + padding), minimum };
  });
  const naturalSum = needs.reduce((sum, need) => sum + need.natural, 0);
  if (naturalSum <= available)
    return needs.map((need) => need.natural + ((available - naturalSum) * need.natural) / naturalSum);
  const minimumSum = needs.reduce((sum, need) => sum + need.minimum, 0);
  if (minimumSum >= available) return needs.map((need) => (need.minimum * available) / minimumSum);
  const wanted = naturalSum - minimumSum;
  return needs.map((need) => need.minimum + ((available - minimumSum) * (need.natural - need.minimum)) / wanted);
}

/**
 * A table that breaks across pages between rows, repeating its header row (and its caption) on each new page. An
 * empty table is its title and a "none" line.
 */
function drawTable(
  page: PageFrame,
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): void {
  const { doc } = page;
  const headerCells = columns.map(({ header }) =>
    header.ja === header.en ? { text: header.ja } : bilingualCell(header),
  );
  const widths = columnWidths(doc, columns, headerCells, rows, page.width);
  const headerHeight = rowHeight(doc, headerCells, widths, SIZE.header, SIZE.headerSub);
  // A row taller than a page is cut to fit one: it could not be read across a page break anyway.
  const maxRowHeight = page.bottom - page.top - headerHeight - 24;

  const drawHeader = (): void => {
    drawRow(page, headerCells, widths, columns, headerHeight, {
      size: SIZE.header,
      subSize: SIZE.headerSub,
      fill: COLOR.headerFill,
    });
  };

  const first = rows[0];
  if (!first) {
    if (options.title) subheading(page, options.title, NONE_LINE_HEIGHT);
    noneLine(page);
    return;
  }
  const firstHeight = Math.min(rowHeight(doc, first, widths, SIZE.cell, SIZE.cellSub), maxRowHeight);
  if (options.title) subheading(page, options.title, headerHeight + firstHeight);
  else ensureSpace(page, headerHeight + firstHeight);
  const caption = options.caption ?? options.title;
  rule(page, doc.y, COLOR.axis, 0.6);
  drawHeader();

  rows.forEach((cells, index) => {
    const height = Math.min(rowHeight(doc, cells, widths, SIZE.cell, SIZE.cellSub), maxRowHeight);
    if (doc.y + height > page.bottom) {
      newPage(page);
      if (caption) {
        const continued = bilingualText(continuedTitle(caption));
        const captionHeight = measure(doc, continued, page.width, { size: SIZE.small });
        drawText(doc, continued, page.left, doc.y, page.width, captionHeight, { size: SIZE.small, color: COLOR.muted });
        doc.y += captionHeight + 2;
      }
      rule(page, doc.y, COLOR.axis, 0.6);
      drawHeader();
    }
    drawRow(page, cells, widths, columns, height, {
      size: SIZE.cell,
      subSize: SIZE.cellSub,
      ...(options.shaded?.has(index) ? { fill: COLOR.totalFill } : {}),
    });
  });
  doc.y += 6;
}

// A table of `reportTables`, as every format has it: the same title, columns and values.

/** Japanese over English; once when they are the same. */
function bilingualCell(text: Bilingual): { text: string; sub?: string } {
  return text.ja === text.en ? { text: text.ja } : { text: text.ja, sub: text.en };
}

const isNumeric = (field: ReportField): boolean => field.kind === "yen" || field.kind === "count";

function valueCell(value: ReportValue): { text: string; sub?: string } {
  switch (value.kind) {
    case "text":
    case "id":
      return { text: value.text };
    case "name":
    case "word":
      return bilingualCell(value.text);
    case "date": {
      const date = formatDate(value.iso);
      return { text: date.ja, sub: date.en };
    }
    case "datetime": {
      const at = formatDateTime(value.iso);
      return { text: at.ja, sub: at.en };
    }
    case "yen":
      return { text: formatAmount(value.value) };
    case "count":
      return { text: formatCount(value.value) };
  }
}

function reportCell(field: ReportField, value: ReportValue | null, line: ReportLine, inTotal: boolean): Cell {
  if (value === null) return !inTotal && field.empty ? bilingualCell(field.empty) : { text: "" };
  const cell = valueCell(value);
  const sub = value.note ? [cell.sub, bilingualText(value.note)].filter(Boolean).join("\n") : cell.sub;
  // Over a limit, overdue: what a reader must not miss. A cancelled line reads as set aside.
  const color = value.flag === "alert" ? COLOR.alert : line.mark === "muted" ? COLOR.muted : undefined;
  return { text: cell.text, ...(sub ? { sub } : {}), ...(color ? { color } : {}) };
}

function drawReportTable(page: PageFrame, table: ReportTable): void {
  const columns = table.fields.map(
    (field): Column => ({
      header: field.header,
      ...(isNumeric(field) ? { align: "right" as const } : {}),
      ...(isNumeric(field) || field.kind === "date" || field.kind === "word" ? { unbroken: true } : {}),
    }),
  );
  const rows = table.lines.map((line, index) =>
    table.fields.map((field, column) =>
      reportCell(field, line.values[column] ?? null, line, table.totalRow && index === table.lines.length - 1),
    ),
  );
  const shaded = new Set(
    table.lines.flatMap((line, index) =>
      line.mark === "summary" || (table.totalRow && index === table.lines.length - 1) ? [index] : [],
    ),
  );
  drawTable(page, columns, bodyLines(table).length === 0 ? [] : rows, { title: table.title, shaded });
}

function cellHeight(doc: PDFKit.PDFDocument, cell: Cell, width: number, size: number, subSize: number): number {
  const inner = width - 2 * CELL_PADDING_X;
  const main = measure(doc, clip(cell.text), inner, { size });
  const sub = cell.sub ? measure(doc, clip(cell.sub), inner, { size: subSize }) + SUB_GAP : 0;
  return main + sub + 2 * CELL_PADDING_Y;
}

function rowHeight(
  doc: PDFKit.PDFDocument,
  cells: readonly Cell[],
  widths: readonly number[],
  size: number,
  subSize: number,
): number {
  return cells.reduce((tallest, cell, i) => Math.max(tallest, cellHeight(doc, cell, widths[i] ?? 0, size, subSize)), 0);
}

function drawRow(
  page: PageFrame,
  cells: readonly Cell[],
  widths: readonly number[],
  columns: readonly Column[],
  height: number,
  style: { readonly size: number; readonly subSize: number; readonly fill?: string },
): void {
  const { doc } = page;
  const top = doc.y;
  if (style.fill) doc.rect(page.left, top, page.width, height).fill(style.fill);
  let x = page.left;
  cells.forEach((cell, i) => {
    const width = widths[i] ?? 0;
    const align = columns[i]?.align ?? "left";
    const inner = width - 2 * CELL_PADDING_X;
    const room = height - 2 * CELL_PADDING_Y;
    const bottom = top + height - CELL_PADDING_Y;
    const mainBottom = drawText(doc, clip(cell.text), x + CELL_PADDING_X, top + CELL_PADDING_Y, inner, room, {
      size: style.size,
      color: cell.color ?? COLOR.text,
      align,
    });
    if (cell.sub) {
      const subTop = mainBottom + SUB_GAP;
      drawText(doc, clip(cell.sub), x + CELL_PADDING_X, subTop, inner, bottom - subTop, {
        size: style.subSize,
        color: cell.color ?? COLOR.muted,
        align,
      });
    }
    x += width;
  });
  doc.y = top + height;
  rule(page, doc.y, COLOR.rule, 0.4);
}

// ---------------------------------------------------------------------------------------------------------------
// Content

function drawTitle(page: PageFrame, model: ReportModel): void {
  const { doc } = page;
  doc.y = page.top;
  paragraph(page, model.title.ja, { size: SIZE.title, color: COLOR.heading }, 0);
  paragraph(page, model.title.en, { size: SIZE.titleEn, color: COLOR.muted }, 8);
  const { from, to, label } = model.period;
  const range = formatDateRange(from, to);
  const generated = formatDateTime(model.generatedAt);
  paragraph(page, `${REPORT_FACTS.period.ja}：${label.ja}（${range.ja}）`, { size: SIZE.body + 1 }, 0);
  paragraph(page, `${REPORT_FACTS.period.en}: ${label.en} (${range.en})`, { size: SIZE.body, color: COLOR.muted }, 4);
  paragraph(
    page,
    `${REPORT_FACTS.generatedAt.ja}：${generated.ja} / ${REPORT_FACTS.generatedAt.en}: ${generated.en}　　${bilingualText(ISSUER)}`,
    { size: SIZE.small, color: COLOR.muted },
    6,
  );
  rule(page, doc.y, COLOR.heading, 1.2);
  doc.y += 4;
}

/** Every section: its heading, what comes before its tables, then its tables of `reportTables` in order. */
function drawSections(page: PageFrame, model: ReportModel): void {
  const tables = reportTables(model);
  for (const sectionId of REPORT_SECTION_IDS) {
    sectionHeading(page, SECTION_TITLES[sectionId]);
    if (sectionId === "relations") {
      const { relations } = model;
      paragraph(
        page,
        `${KEY_FIGURES.relations.ja}：${relations.total} / ${KEY_FIGURES.relations.en}: ${relations.total}`,
        { size: SIZE.body },
      );
      page.doc.y += 4;
      drawRelationsChart(page, relations, model.period.to);
    }
    for (const table of tables.filter((candidate) => candidate.sectionId === sectionId)) {
      drawReportTable(page, table);
      if (table.id === "trip-budget") {
        paragraph(page, `※ ${NOTES.tripsCommitted.ja}`, { size: SIZE.small, color: COLOR.muted }, 0);
        paragraph(page, NOTES.tripsCommitted.en, { size: SIZE.small, color: COLOR.muted }, 4);
      }
    }
  }
}

/** Every page's footer: the report and period on the left, "page / pages" on the right. */
function drawFooters(page: PageFrame, model: ReportModel): void {
  const { doc } = page;
  const { start, count } = doc.bufferedPageRange();
  const label = clip(
    `${model.title.ja}（${model.period.label.ja}） / ${model.title.en} (${model.period.label.en})`,
    120,
  );
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    const y = page.bottom + 18;
    rule(page, y - 5, COLOR.rule, 0.4);
    const numberWidth = 60;
    drawText(doc, label, page.left, y, page.width - numberWidth, 10, { size: SIZE.small - 0.5, color: COLOR.muted });
    drawText(doc, `${index + 1} / ${count}`, page.left + page.width - numberWidth, y, numberWidth, 10, {
      size: SIZE.small + 0.5,
      color: COLOR.muted,
      align: "right",
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Chart: concrete relations over time, against the strategy's milestones

const CHART_LAYOUT = { height: 150, axisGutter: 30, headroom: 1.12 } as const;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, independent of the time zone; NaN when it is not one. */
function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return Number.NaN;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000;
}

function yearStart(year: number): number {
  return Date.UTC(year, 0, 1) / 86_400_000;
}

function yearOf(day: number): number {
  return new Date(day * 86_400_000).getUTCFullYear();
}

/** 1, 2 or 5 times a power of ten: at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-9)));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

function drawRelationsChart(page: PageFrame, relations: RelationsSection, periodEnd: string): void {
  const { doc } = page;
  const points = relations.series
    .map((point) => ({ day: dayNumber(point.date), count: point.count }))
    .filter((point) => Number.isFinite(point.day) && Number.isFinite(point.count));
  const milestones = relations.milestones
    .map((milestone) => ({ ...milestone, day: dayNumber(milestone.date) }))
    .filter((milestone) => Number.isFinite(milestone.day) && Number.isFinite(milestone.target));
  if (points.length === 0 && milestones.length === 0) {
    noneLine(page);
    return;
  }

  const days = [...points.map((p) => p.day), ...milestones.map((m) => m.day)];
  const endDay = Number.isFinite(dayNumber(periodEnd)) ? dayNumber(periodEnd) : Math.max(...days);
  const firstYear = yearOf(Math.min(...days, endDay));
  const lastYear = yearOf(Math.max(...days, endDay)) + 1;
  const yearStep = Math.max(1, niceStep((lastYear - firstYear) / 7));
  const fromYear = Math.floor(firstYear / yearStep) * yearStep;
  const toYear = Math.ceil(lastYear / yearStep) * yearStep;
  const maxValue = Math.max(1, ...points.map((p) => p.count), ...milestones.map((m) => m.target));
  const countStep = Math.max(1, niceStep((maxValue * CHART_LAYOUT.headroom) / 5));
  const countTop = Math.ceil((maxValue * CHART_LAYOUT.headroom) / countStep) * countStep;

  const titleHeight = 12;
  const belowAxis = 34;
  const legendHeight = 12;
  ensureSpace(page, titleHeight + CHART_LAYOUT.height + belowAxis + legendHeight + 8);
  const top = doc.y;
  const plot = {
    left: page.left + CHART_LAYOUT.axisGutter,
    right: page.left + page.width - 8,
    top: top + titleHeight + 4,
    bottom: top + titleHeight + 4 + CHART_LAYOUT.height,
  };
  const xOf = (day: number): number =>
    plot.left + ((day - yearStart(fromYear)) / (yearStart(toYear) - yearStart(fromYear))) * (plot.right - plot.left);
  const yOf = (count: number): number => plot.bottom - (count / countTop) * (plot.bottom - plot.top);

  drawText(doc, bilingualText(CHART.title), page.left, top, page.width, titleHeight, {
    size: SIZE.small,
    color: COLOR.muted,
  });

  // Grid and the count axis.
  for (let count = 0; count <= countTop; count += countStep) {
    const y = yOf(count);
    if (count > 0) doc.moveTo(plot.left, y).lineTo(plot.right, y).lineWidth(0.4).strokeColor(COLOR.grid).stroke();
    drawText(doc, String(count), page.left, y - 4, CHART_LAYOUT.axisGutter - 4, 9, {
      size: SIZE.small - 0.5,
      color: COLOR.muted,
      align: "right",
    });
  }
  // The year axis.
  for (let year = fromYear; year <= toYear; year += yearStep) {
    const x = xOf(yearStart(year));
    doc
      .moveTo(x, plot.bottom)
      .lineTo(x, plot.bottom + 3)
      .lineWidth(0.6)
      .strokeColor(COLOR.axis)
      .stroke();
    drawText(doc, String(year), x - 20, plot.bottom + 5, 40, 9, {
      size: SIZE.small - 0.5,
      color: COLOR.muted,
      align: "center",
    });
  }
  doc
    .moveTo(plot.left, plot.top)
    .lineTo(plot.left, plot.bottom)
    .lineTo(plot.right, plot.bottom)
    .lineWidth(0.8)
    .strokeColor(COLOR.axis)
    .stroke();
  drawText(doc, bilingualText(CHART.xAxis), plot.left, plot.bottom + 16, plot.right - plot.left, 10, {
    size: SIZE.small,
    color: COLOR.muted,
    align: "center",
  });

  // Milestones: a dashed line up to the target on its date, a diamond at the target, its label beside.
  for (const milestone of milestones) {
    const x = xOf(milestone.day);
    const y = yOf(milestone.target);
    doc.save();
    doc.moveTo(x, plot.bottom).lineTo(x, y).lineWidth(0.6).dash(2, { space: 2 }).strokeColor(COLOR.milestone).stroke();
    doc.restore();
    doc.polygon([x, y - 4], [x + 4, y], [x, y + 4], [x - 4, y]).fill(COLOR.milestone);
    const labelWidth = 150;
    const onLeft = x - labelWidth - 6 >= plot.left;
    const labelX = onLeft ? x - labelWidth - 6 : x + 6;
    const align = onLeft ? "right" : "left";
    const ja = `${milestone.label.ja}（${formatDate(milestone.date).ja}）`;
    drawText(doc, ja, labelX, y - 9, labelWidth, 9, { size: SIZE.small - 0.5, color: COLOR.milestone, align });
    drawText(doc, milestone.label.en, labelX, y, labelWidth, 9, {
      size: SIZE.small - 1,
      color: COLOR.milestone,
      align,
    });
  }

  // The cumulative count as a step line: flat until the next relation, then up by one.
  const last = points[points.length - 1];
  if (last) {
    doc.moveTo(plot.left, yOf(0));
    let previous = 0;
    for (const point of points) {
      doc.lineTo(xOf(point.day), yOf(previous)).lineTo(xOf(point.day), yOf(point.count));
      previous = point.count;
    }
    const end = Math.max(endDay, last.day);
    doc.lineTo(xOf(end), yOf(last.count)).lineWidth(1.6).strokeColor(COLOR.series).stroke();
    doc.circle(xOf(end), yOf(last.count), 2.2).fill(COLOR.series);
    drawText(doc, String(last.count), xOf(end) - 20, yOf(last.count) - 12, 40, 9, {
      size: SIZE.small,
      color: COLOR.series,
      align: "center",
    });
  }

  // Legend.
  const legendY = plot.bottom + belowAxis - 4;
  doc
    .moveTo(plot.left, legendY + 4)
    .lineTo(plot.left + 16, legendY + 4)
    .lineWidth(1.6)
    .strokeColor(COLOR.series)
    .stroke();
  drawText(doc, bilingualText(CHART.relationsSeries), plot.left + 20, legendY, 220, 10, { size: SIZE.small });
  const diamondX = plot.left + 250;
  doc
    .polygon([diamondX, legendY], [diamondX + 4, legendY + 4], [diamondX, legendY + 8], [diamondX - 4, legendY + 4])
    .fill(COLOR.milestone);
  drawText(doc, bilingualText(CHART.milestonesSeries), diamondX + 8, legendY, 150, 10, { size: SIZE.small });

  doc.y = legendY + legendHeight + 6;
}
