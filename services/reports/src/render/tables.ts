import type { Bilingual, ReportModel } from "../domain/report-model.ts";
import { bilingualText, tokyoDateTime } from "./format.ts";
import {
  actualAtEndOf,
  COLUMNS,
  CONFERENCE_ROLE,
  COST_BASIS,
  DIRECTION,
  fiscalYear,
  forFiscalYear,
  forFiscalYearAsOf,
  inLanguage,
  PLACEMENT_STATUS,
  RECONCILIATION,
  RELATION_BASIS,
  SECTION_TITLES,
  TABLE_TITLES,
  VISIT_STATUS,
  VISIT_TIMING,
  WORDS,
} from "./labels.ts";

/**
 * The report's tables: one definition for every format, so that a table has the same title, columns, order and
 * values wherever it appears. Each table comes in two shapes:
 *
 * - `fields` and `lines`, as a reader sees it (the HTML and the PDF): a column a field, a name one bilingual
 *   value, dates and timestamps as ISO strings for the format to write with `format.ts`, and what the report
 *   marks (a new relation, a figure over its limit) marked;
 * - `columns` and `rows`, as a spreadsheet holds it (the workbook and the CSV): plain cells, yen and counts as
 *   numbers, dates as `YYYY-MM-DD`, timestamps as `YYYY-MM-DD HH:mm` in Tokyo time, an empty cell `null`. Names
 *   (partners, people, programmes…) take two columns, Japanese then English, so that a spreadsheet sorts and
 *   filters on either language; fixed vocabulary (status, direction, role…) takes one `日本語 / English` cell, a
 *   handful of values that filter just as well without doubling the table's width.
 *
 * The column headers of the second shape are those of the first; a name's two columns add `（日本語）` and
 * `（英語）` to its header.
 */

export type ReportCell = string | number | null;
export type ColumnKind = "text" | "date" | "yen" | "count";

export interface ReportColumn {
  readonly key: string;
  readonly header: Bilingual;
  readonly kind: ColumnKind;
}

/**
 * What a field holds: `text` as written (a country code, a subject), `id` an identifier or code, `name` a name in
 * both languages, `word` fixed vocabulary from `labels.ts`, `date` a `YYYY-MM-DD` date, `datetime` an ISO
 * timestamp, `yen` an amount, `count` a whole number.
 */
export type FieldKind = "text" | "id" | "name" | "word" | "date" | "datetime" | "yen" | "count";

export interface ReportField {
  readonly key: string;
  readonly header: Bilingual;
  readonly kind: FieldKind;
  /** What a reader is shown for an empty value, where a blank would not do (e.g. "not yet known"). */
  readonly empty?: Bilingual;
}

/** `alert`: a reader must not miss it (over a limit, overdue); `good`: the report says it is fine or new. */
export type CellFlag = "alert" | "good";

export type ReportValue = (
  | { readonly kind: "text" | "id"; readonly text: string }
  | { readonly kind: "name" | "word"; readonly text: Bilingual }
  | { readonly kind: "date" | "datetime"; readonly iso: string }
  | { readonly kind: "yen" | "count"; readonly value: number }
) & {
  readonly flag?: CellFlag;
  /** A word a reader's format shows beside the value (e.g. "over the limit"). */
  readonly note?: Bilingual;
};

/** `new`: in the period; `summary`: sums up the lines above it; `muted`: cancelled; `alert`: needs action. */
export type RowMark = "new" | "summary" | "muted" | "alert";

export interface ReportLine {
  /** One a field; `null` for an empty value. */
  readonly values: readonly (ReportValue | null)[];
  readonly mark?: RowMark;
}

/** The report's numbered sections: a workbook has a sheet for each. Conferences belong to section 2. */
export const REPORT_SECTION_IDS = ["relations", "visits", "exchanges", "fund", "attention"] as const;
export type ReportSectionId = (typeof REPORT_SECTION_IDS)[number];

export type ReportTableId =
  | "relation-targets"
  | "relations"
  | "trip-budget"
  | "governor-trips"
  | "leader-visits"
  | "conferences"
  | "quotas"
  | "placements"
  | "fund-statement"
  | "reconciliation"
  | "dormant"
  | "reviews-due"
  | "failed-notices"
  | "dead-letters";

export interface ReportTable {
  readonly id: ReportTableId;
  readonly sectionId: ReportSectionId;
  readonly section: Bilingual;
  readonly title: Bilingual;
  /** The table as a reader sees it. */
  readonly fields: readonly ReportField[];
  readonly lines: readonly ReportLine[];
  /** The table as a spreadsheet holds it. */
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly (readonly ReportCell[])[];
  /**
   * The last line (and row) is the model's total (not summed here): formats set it apart and keep it out of
   * sorting. A table without lines has no total either.
   */
  readonly totalRow: boolean;
}

/** The lines of a table that are not its total: none means the table is empty. */
export function bodyLines(table: ReportTable): readonly ReportLine[] {
  return table.totalRow ? table.lines.slice(0, -1) : table.lines;
}

// --- Defining a table ------------------------------------------------------------------------------------------

// A field knows how to read its value from a row of the model, so headers and values cannot drift apart.
type FieldSpec<Row> = ReportField & { readonly value: (row: Row) => ReportValue | null };

interface FieldOptions<Row> {
  readonly empty?: Bilingual;
  readonly flag?: (row: Row) => CellFlag | undefined;
  readonly note?: (row: Row) => Bilingual | undefined;
}

// The field builders for one kind of row, handed to a table's `fields` so the rows' type flows into them.
function fieldBuilders<Row>() {
  const builder =
    <Raw>(kind: FieldKind, make: (raw: Raw) => ReportValue) =>
    (key: string, header: Bilingual, read: (row: Row) => Raw | null, options: FieldOptions<Row> = {}) =>
      ({
        key,
        header,
        kind,
        ...(options.empty ? { empty: options.empty } : {}),
        value: (row: Row): ReportValue | null => {
          const raw = read(row);
          if (raw === null) return null;
          const flag = options.flag?.(row);
          const note = options.note?.(row);
          return { ...make(raw), ...(flag ? { flag } : {}), ...(note ? { note } : {}) };
        },
      }) satisfies FieldSpec<Row>;
  return {
    text: builder<string>("text", (text) => ({ kind: "text", text })),
    id: builder<string>("id", (text) => ({ kind: "id", text })),
    name: builder<Bilingual>("name", (text) => ({ kind: "name", text })),
    word: builder<Bilingual>("word", (text) => ({ kind: "word", text })),
    date: builder<string>("date", (iso) => ({ kind: "date", iso })),
    datetime: builder<string>("datetime", (iso) => ({ kind: "datetime", iso })),
    yen: builder<number>("yen", (value) => ({ kind: "yen", value })),
    count: builder<number>("count", (value) => ({ kind: "count", value })),
  };
}
type FieldBuilders<Row> = ReturnType<typeof fieldBuilders<Row>>;

interface TableDefinition<Row> {
  readonly id: ReportTableId;
  readonly sectionId: ReportSectionId;
  readonly title: Bilingual;
  readonly rows: readonly Row[];
  readonly fields: (field: FieldBuilders<Row>) => readonly FieldSpec<Row>[];
  readonly mark?: (row: Row) => RowMark | undefined;
  /** The total, by field key: words for names and words, numbers for yen and counts; others stay empty. */
  readonly total?: Readonly<Record<string, Bilingual | number>>;
}

function table<Row>(definition: TableDefinition<Row>): ReportTable {
  const { id, sectionId, title, rows, mark, total } = definition;
  const specs = definition.fields(fieldBuilders<Row>());
  const fields = specs.map(
    ({ key, header, kind, empty }): ReportField => ({
      key,
      header,
      kind,
      ...(empty ? { empty } : {}),
    }),
  );
  const lines = rows.map((row): ReportLine => {
    const rowMark = mark?.(row);
    return { values: specs.map((spec) => spec.value(row)), ...(rowMark ? { mark: rowMark } : {}) };
  });
  // A total of nothing says nothing: an empty table reads as empty in every format.
  const totalRow = total !== undefined && rows.length > 0;
  if (total) {
    const keys = new Set(fields.map((field) => field.key));
    for (const key of Object.keys(total)) {
      if (!keys.has(key)) throw new Error(`Table ${id} has no field ${key} for its total`);
    }
    if (totalRow) lines.push({ values: fields.map((field) => totalValue(id, field, total[field.key])) });
  }
  return {
    id,
    sectionId,
    section: SECTION_TITLES[sectionId],
    title,
    fields,
    lines,
    columns: fields.flatMap(spreadsheetColumns),
    rows: lines.map((line) => fields.flatMap((field, index) => spreadsheetCells(field, line.values[index] ?? null))),
    totalRow,
  };
}

function totalValue(id: ReportTableId, field: ReportField, raw: Bilingual | number | undefined): ReportValue | null {
  if (raw === undefined) return null;
  if (typeof raw === "number" && (field.kind === "yen" || field.kind === "count")) {
    return { kind: field.kind, value: raw };
  }
  if (typeof raw === "object" && (field.kind === "name" || field.kind === "word"))
    return { kind: field.kind, text: raw };
  throw new Error(`Table ${id} cannot total its ${field.kind} field ${field.key}`);
}

function spreadsheetColumns(field: ReportField): ReportColumn[] {
  const { key, header, kind } = field;
  switch (kind) {
    case "name":
      return [
        { key: `${key}Ja`, header: inLanguage(header, "japanese"), kind: "text" },
        { key: `${key}En`, header: inLanguage(header, "english"), kind: "text" },
      ];
    case "date":
    case "yen":
    case "count":
      return [{ key, header, kind }];
    case "text":
    case "id":
    case "word":
    case "datetime":
      return [{ key, header, kind: "text" }];
  }
}

function spreadsheetCells(field: ReportField, value: ReportValue | null): ReportCell[] {
  if (value === null) return field.kind === "name" ? [null, null] : [null];
  switch (value.kind) {
    case "name":
      return [value.text.ja, value.text.en];
    case "word":
      return [bilingualText(value.text)];
    case "text":
    case "id":
      return [value.text];
    case "date":
      return [value.iso];
    case "datetime":
      return [tokyoDateTime(value.iso)];
    case "yen":
    case "count":
      return [value.value];
  }
}

const joinNames = (partners: readonly Bilingual[]): Bilingual => ({
  ja: partners.map((partner) => partner.ja).join("、"),
  en: partners.map((partner) => partner.en).join("; "),
});

const yesOrNo = (yes: boolean): Bilingual => (yes ? WORDS.yes : WORDS.no);

// --- The report's tables --------------------------------------------------------------------------------------

/** Every table of the report, in the report's order: within a section, the summary before the detail. */
export function reportTables(model: ReportModel): ReportTable[] {
  const { relations, visits, exchanges, fund, attention } = model;
  return [
    table({
      id: "relation-targets",
      sectionId: "relations",
      title: TABLE_TITLES["relation-targets"],
      rows: [
        ...relations.milestones.map((milestone) => ({ ...milestone, count: milestone.target, actual: false })),
        { label: actualAtEndOf(model.period.label), date: model.period.to, count: relations.total, actual: true },
      ],
      fields: (field) => [
        field.name("item", COLUMNS.item, (row) => row.label),
        field.date("date", COLUMNS.date, (row) => row.date),
        field.count("relations", COLUMNS.relationsCount, (row) => row.count),
      ],
      mark: (row) => (row.actual ? "summary" : undefined),
    }),
    table({
      id: "relations",
      sectionId: "relations",
      title: TABLE_TITLES.relations,
      rows: relations.rows,
      fields: (field) => [
        field.name("partner", COLUMNS.partner, (row) => row.partner),
        field.text("country", COLUMNS.country, (row) => row.country),
        field.date("establishedOn", COLUMNS.establishedOn, (row) => row.establishedOn),
        field.word("basis", COLUMNS.basis, (row) => RELATION_BASIS[row.basis]),
        field.word("inPeriod", COLUMNS.newInPeriod, (row) => yesOrNo(row.inPeriod), {
          flag: (row) => (row.inPeriod ? "good" : undefined),
        }),
      ],
      mark: (row) => (row.inPeriod ? "new" : undefined),
    }),
    table({
      id: "trip-budget",
      sectionId: "visits",
      title: forFiscalYear(TABLE_TITLES["trip-budget"], visits.fiscalYear),
      rows: [visits],
      fields: (field) => [
        field.word("fiscalYear", COLUMNS.fiscalYear, (row) => fiscalYear(row.fiscalYear)),
        field.count("tripsCommitted", COLUMNS.tripsCommitted, (row) => row.tripsCommitted, {
          flag: (row) => (row.tripsCommitted > row.tripCap ? "alert" : undefined),
          note: (row) => (row.tripsCommitted > row.tripCap ? WORDS.overTheLimit : undefined),
        }),
        field.count("tripCap", COLUMNS.tripCap, (row) => row.tripCap),
        field.yen("travelCostsCommitted", COLUMNS.travelCostsCommitted, (row) => row.budgetCommittedYen, {
          flag: (row) => (row.budgetCommittedYen > row.travelBudgetYen ? "alert" : undefined),
          note: (row) => (row.budgetCommittedYen > row.travelBudgetYen ? WORDS.overTheLimit : undefined),
        }),
        field.yen("travelBudget", COLUMNS.travelBudget, (row) => row.travelBudgetYen),
      ],
    }),
    table({
      id: "governor-trips",
      sectionId: "visits",
      title: forFiscalYear(TABLE_TITLES["governor-trips"], visits.fiscalYear),
      rows: visits.governorTrips,
      fields: (field) => [
        field.word("timing", COLUMNS.timing, (row) => VISIT_TIMING[row.timing]),
        field.date("startDate", COLUMNS.startDate, (row) => row.startDate),
        field.date("endDate", COLUMNS.endDate, (row) => row.endDate),
        field.name("destinations", COLUMNS.destinations, (row) => joinNames(row.partners)),
        field.name("purpose", COLUMNS.purpose, (row) => row.purpose),
        field.word("status", COLUMNS.status, (row) => VISIT_STATUS[row.status]),
        field.yen("cost", COLUMNS.cost, (row) => row.costYen),
        field.word("costBasis", COLUMNS.costBasis, (row) => COST_BASIS[row.costBasis]),
      ],
      mark: (row) => (row.status === "cancelled" ? "muted" : undefined),
    }),
    table({
      id: "leader-visits",
      sectionId: "visits",
      title: TABLE_TITLES["leader-visits"],
      rows: visits.leaderVisits,
      fields: (field) => [
        field.word("timing", COLUMNS.timing, (row) => VISIT_TIMING[row.timing]),
        field.date("startDate", COLUMNS.startDate, (row) => row.startDate),
        field.date("endDate", COLUMNS.endDate, (row) => row.endDate),
        field.name("partner", COLUMNS.partner, (row) => joinNames(row.partners)),
        field.name("visitor", COLUMNS.visitor, (row) => row.headName),
        field.name("visitorTitle", COLUMNS.visitorTitle, (row) => row.headTitle),
        field.word("status", COLUMNS.status, (row) => VISIT_STATUS[row.status]),
      ],
      mark: (row) => (row.status === "cancelled" ? "muted" : undefined),
    }),
    table({
      id: "conferences",
      sectionId: "visits",
      title: TABLE_TITLES.conferences,
      rows: visits.conferences,
      fields: (field) => [
        field.name("conference", COLUMNS.conference, (row) => row.name),
        field.word("role", COLUMNS.role, (row) => CONFERENCE_ROLE[row.role]),
        field.name("city", COLUMNS.hostCity, (row) => row.city),
        field.date("startDate", COLUMNS.startDate, (row) => row.startDate),
        field.date("endDate", COLUMNS.endDate, (row) => row.endDate),
        field.date("deadline", COLUMNS.nextDeadline, (row) => row.deadline, { empty: WORDS.none }),
        field.name("deadlineFor", COLUMNS.deadlineFor, (row) => row.deadlineWhat),
      ],
    }),
    table({
      id: "quotas",
      sectionId: "exchanges",
      title: forFiscalYear(TABLE_TITLES.quotas, exchanges.fiscalYear),
      rows: exchanges.quotas,
      fields: (field) => [
        field.name("partner", COLUMNS.partner, (row) => row.partner),
        field.word("direction", COLUMNS.direction, (row) => DIRECTION[row.direction]),
        field.count("quota", COLUMNS.quota, (row) => row.quota),
        field.count("counted", COLUMNS.counted, (row) => row.counted, {
          flag: (row) => (row.counted > row.quota ? "alert" : undefined),
        }),
        field.count("active", COLUMNS.active, (row) => row.active),
        field.count("completed", COLUMNS.completed, (row) => row.completed),
        field.count("cancelled", COLUMNS.cancelled, (row) => row.cancelled),
        field.count("fundingRejected", COLUMNS.fundingRejected, (row) => row.fundingRejected),
      ],
      total: {
        partner: WORDS.total,
        active: exchanges.totals.active,
        completed: exchanges.totals.completed,
        cancelled: exchanges.totals.cancelled,
        fundingRejected: exchanges.totals.fundingRejected,
      },
    }),
    table({
      id: "placements",
      sectionId: "exchanges",
      title: forFiscalYear(TABLE_TITLES.placements, exchanges.fiscalYear),
      rows: exchanges.placements,
      fields: (field) => [
        field.id("placementId", COLUMNS.id, (row) => row.placementId),
        field.name("partner", COLUMNS.partner, (row) => row.partner),
        field.word("direction", COLUMNS.direction, (row) => DIRECTION[row.direction]),
        field.name("person", COLUMNS.staffMember, (row) => row.person),
        field.name("host", COLUMNS.hostOrganisation, (row) => row.host),
        field.date("startDate", COLUMNS.startDate, (row) => row.startDate),
        field.date("endDate", COLUMNS.endDate, (row) => row.endDate),
        field.word("status", COLUMNS.status, (row) => PLACEMENT_STATUS[row.status]),
        field.yen("estimated", COLUMNS.estimatedCost, (row) => row.estimatedYen),
        field.yen("actual", COLUMNS.actualCost, (row) => row.actualYen, { empty: WORDS.notYetKnown }),
      ],
      mark: (row) => (row.status === "cancelled" || row.status === "funding-rejected" ? "muted" : undefined),
    }),
    table({
      id: "fund-statement",
      sectionId: "fund",
      title: forFiscalYearAsOf(TABLE_TITLES["fund-statement"], fund.fiscalYear, fund.asOf),
      rows: fund.programmes,
      fields: (field) => [
        field.name("programme", COLUMNS.programme, (row) => row.name),
        field.yen("appropriated", COLUMNS.appropriated, (row) => row.appropriatedYen),
        field.yen("held", COLUMNS.held, (row) => row.heldYen),
        field.yen("spent", COLUMNS.spent, (row) => row.spentYen),
        field.yen("available", COLUMNS.available, (row) => row.availableYen),
        field.yen("released", COLUMNS.released, (row) => row.releasedYen),
      ],
      total: {
        programme: WORDS.total,
        appropriated: fund.totals.appropriatedYen,
        held: fund.totals.heldYen,
        spent: fund.totals.spentYen,
        available: fund.totals.availableYen,
        released: fund.totals.releasedYen,
      },
    }),
    table({
      id: "reconciliation",
      sectionId: "fund",
      title: TABLE_TITLES.reconciliation,
      rows: [fund.reconciliation],
      fields: (field) => [
        field.word("status", COLUMNS.result, (row) => RECONCILIATION[row.status], {
          flag: (row) => (row.status === "ok" ? "good" : row.status === "failed" ? "alert" : undefined),
        }),
        field.datetime("checkedAt", COLUMNS.checkedAt, (row) => row.checkedAt, { empty: WORDS.notYetChecked }),
        field.count("mismatches", COLUMNS.mismatches, (row) => row.mismatches, {
          flag: (row) => (row.mismatches > 0 ? "alert" : undefined),
        }),
      ],
    }),
    table({
      id: "dormant",
      sectionId: "attention",
      title: TABLE_TITLES.dormant,
      rows: attention.dormant,
      fields: (field) => [
        field.name("partner", COLUMNS.partner, (row) => row.partner),
        field.date("lastExchangeOn", COLUMNS.lastExchangeOn, (row) => row.lastExchangeOn, {
          empty: WORDS.noneRecorded,
        }),
        field.date("since", COLUMNS.dormantSince, (row) => row.since),
      ],
    }),
    table({
      id: "reviews-due",
      sectionId: "attention",
      title: TABLE_TITLES["reviews-due"],
      rows: attention.reviewsDue,
      fields: (field) => [
        field.name("partner", COLUMNS.partner, (row) => row.partner),
        field.name("agreement", COLUMNS.agreement, (row) => row.title),
        field.id("agreementId", COLUMNS.agreementId, (row) => row.agreementId),
        field.date("reviewOn", COLUMNS.reviewOn, (row) => row.reviewOn),
        // Negative once the review is overdue.
        field.count("daysLeft", COLUMNS.daysLeft, (row) => row.daysLeft, {
          flag: (row) => (row.daysLeft < 0 ? "alert" : undefined),
        }),
      ],
    }),
    table({
      id: "failed-notices",
      sectionId: "attention",
      title: TABLE_TITLES["failed-notices"],
      rows: attention.failedNotices,
      fields: (field) => [
        field.datetime("failedAt", COLUMNS.failedAt, (row) => row.failedAt),
        field.name("partner", COLUMNS.partner, (row) => row.partner),
        field.text("subject", COLUMNS.subject, (row) => row.subject),
        field.id("reason", COLUMNS.reason, (row) => row.reason),
        field.id("noticeId", COLUMNS.noticeId, (row) => row.noticeId),
      ],
    }),
    table({
      id: "dead-letters",
      sectionId: "attention",
      title: TABLE_TITLES["dead-letters"],
      rows: attention.deadLetters,
      fields: (field) => [
        field.id("queue", COLUMNS.queue, (row) => row.queue),
        field.count("count", COLUMNS.messages, (row) => row.count, {
          flag: (row) => ((row.count ?? 0) > 0 ? "alert" : undefined),
          empty: WORDS.notMeasured,
        }),
      ],
      mark: (row) => ((row.count ?? 0) > 0 ? "alert" : undefined),
    }),
  ];
}
