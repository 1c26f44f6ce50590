import type {
  Bilingual,
  ConferenceRole,
  Direction,
  PlacementStatus,
  VisitStatus,
  VisitTiming,
} from "../domain/report-model.ts";
import { formatDate } from "./format.ts";
import type { ReportTableId } from "./tables.ts";

/**
 * The report's fixed words, in both languages, shared by every format so that a heading, a table's title, a
 * column's header or a status reads the same in the HTML, the PDF, the workbook and the CSV. Each word is
 * defined once, here; a format that needs a word this file lacks adds it here rather than inventing its own.
 * Japanese first: both languages are authentic.
 */

export const SECTION_TITLES = {
  relations: { ja: "1. 具体的な関係の構築状況", en: "1. Concrete relations over time" },
  visits: { ja: "2. 知事の海外出張と海外都市首脳の来訪", en: "2. The governor's trips and partner leaders' visits" },
  conferences: { ja: "国際会議（主催・参加・招致）", en: "Conferences hosted, attended and bid for" },
  exchanges: { ja: "3. 職員交流", en: "3. Staff exchanges" },
  fund: { ja: "4. 都市外交人材育成基金の収支", en: "4. The fund statement" },
  attention: { ja: "5. 要対応事項", en: "5. Attention" },
} as const satisfies Record<string, Bilingual>;

export const REPORT_TITLE: Bilingual = { ja: "都市外交推進状況報告", en: "City Diplomacy Progress Report" };

export const ISSUER: Bilingual = { ja: "東京都", en: "Tokyo Metropolitan Government" };

// --- Status and other fixed vocabulary in the tables ----------------------------------------------------------

export const VISIT_STATUS: Record<VisitStatus, Bilingual> = {
  proposed: { ja: "提案", en: "Proposed" },
  approved: { ja: "承認済", en: "Approved" },
  confirmed: { ja: "確定", en: "Confirmed" },
  completed: { ja: "実施済", en: "Completed" },
  cancelled: { ja: "中止", en: "Cancelled" },
};

export const PLACEMENT_STATUS: Record<PlacementStatus, Bilingual> = {
  applied: { ja: "申請", en: "Applied" },
  approved: { ja: "承認済", en: "Approved" },
  funded: { ja: "予算確保済", en: "Funded" },
  active: { ja: "派遣・受入中", en: "Active" },
  completed: { ja: "終了", en: "Completed" },
  cancelled: { ja: "中止", en: "Cancelled" },
  "funding-rejected": { ja: "予算不承認", en: "Funding rejected" },
};

export const DIRECTION: Record<Direction, Bilingual> = {
  outbound: { ja: "派遣", en: "Outbound" },
  inbound: { ja: "受入", en: "Inbound" },
};

export const CONFERENCE_ROLE: Record<ConferenceRole, Bilingual> = {
  host: { ja: "主催", en: "Hosted" },
  attend: { ja: "参加", en: "Attended" },
  bid: { ja: "招致", en: "Bid for" },
};

export const RELATION_BASIS: Record<"agreement" | "reciprocal-visits", Bilingual> = {
  agreement: { ja: "協定", en: "Agreement" },
  "reciprocal-visits": { ja: "首脳の相互訪問", en: "Reciprocal head-level visits" },
};

export const RECONCILIATION: Record<"ok" | "failed" | "unknown", Bilingual> = {
  ok: { ja: "一致", en: "Reconciled" },
  failed: { ja: "不一致あり", en: "Mismatches found" },
  unknown: { ja: "未実施", en: "Not yet run" },
};

/** A visit in the report's period, or planned for the rest of the fiscal year after it. */
export const VISIT_TIMING: Record<VisitTiming, Bilingual> = {
  "in-period": { ja: "期間内", en: "In the period" },
  planned: { ja: "年度内予定", en: "Planned" },
};

/** Whether a trip's cost is what it cost or what it is expected to. */
export const COST_BASIS: Record<"actual" | "estimate", Bilingual> = {
  actual: { ja: "実績", en: "Actual" },
  estimate: { ja: "見込み", en: "Estimate" },
};

/** Short words that stand in a cell, a line or beside a heading. */
export const WORDS = {
  none: { ja: "該当なし", en: "None" },
  total: { ja: "合計", en: "Total" },
  yes: { ja: "はい", en: "Yes" },
  no: { ja: "いいえ", en: "No" },
  notYetKnown: { ja: "未確定", en: "Not yet known" },
  noneRecorded: { ja: "記録なし", en: "None recorded" },
  notYetChecked: { ja: "未照合", en: "Not yet checked" },
  notMeasured: { ja: "未集計", en: "Not counted" },
  overTheLimit: { ja: "上限超過", en: "Over the limit" },
  /** Beside a table's title on the pages it continues on. */
  continued: { ja: "続き", en: "continued" },
  /** The two halves of a name a spreadsheet gives a column each. */
  japanese: { ja: "日本語", en: "Japanese" },
  english: { ja: "英語", en: "English" },
} as const satisfies Record<string, Bilingual>;

// --- The report's header and cover ----------------------------------------------------------------------------

export const REPORT_FACTS = {
  period: { ja: "対象期間", en: "Period" },
  dates: { ja: "期間", en: "Dates" },
  generatedAt: { ja: "作成日時", en: "Generated" },
  reportId: { ja: "報告書番号", en: "Report ID" },
  contents: { ja: "目次", en: "Contents" },
} as const satisfies Record<string, Bilingual>;

export const NOTES = {
  tripsCommitted: {
    ja: "出張回数と旅費は、承認済・確定・実施済の出張のもの（中止を除く）。",
    en: "Trips and travel costs count approved, confirmed and completed trips; cancelled ones are left out.",
  },
  authentic: {
    ja: "日本語と英語の記載は、いずれも正文です。",
    en: "The Japanese and the English text are equally authentic.",
  },
} as const satisfies Record<string, Bilingual>;

// --- The chart ------------------------------------------------------------------------------------------------

export const CHART = {
  figure: { ja: "図1", en: "Figure 1." },
  title: { ja: "具体的な関係の数の推移", en: "Concrete relations over time" },
  relationsSeries: { ja: "具体的な関係", en: "Concrete relations" },
  milestonesSeries: { ja: "目標", en: "Milestones" },
  xAxis: { ja: "年", en: "Year" },
  yAxis: { ja: "関係数", en: "Relations" },
} as const satisfies Record<string, Bilingual>;

// --- Tables ---------------------------------------------------------------------------------------------------

/** Every table's title, before `forFiscalYear` or `asOf` adds its year or date. */
export const TABLE_TITLES = {
  "relation-targets": { ja: "目標と実績", en: "Milestones and progress" },
  relations: { ja: "具体的な関係の一覧", en: "Concrete relations by partner" },
  "trip-budget": { ja: "出張回数の上限と旅費予算", en: "Trip cap and travel budget" },
  "governor-trips": { ja: "知事の海外出張", en: "The governor's trips" },
  "leader-visits": { ja: "海外都市首脳の来訪", en: "Partner leaders' visits" },
  conferences: SECTION_TITLES.conferences,
  quotas: { ja: "交流枠と実績", en: "Quotas and placements" },
  placements: { ja: "職員の派遣・受入", en: "Staff placements" },
  "fund-statement": { ja: "事業別の収支", en: "Statement by programme" },
  reconciliation: { ja: "照合結果", en: "Reconciliation" },
  dormant: { ja: "休眠状態の関係", en: "Dormant relations" },
  "reviews-due": { ja: "見直し期日が近い協定", en: "Agreements due for review" },
  "failed-notices": { ja: "送信に失敗した通知", en: "Notices that failed to send" },
  "dead-letters": {
    ja: "処理できなかったメッセージ（デッドレター、作成時点）",
    en: "Messages not processed (dead letters, at generation)",
  },
} as const satisfies Record<ReportTableId, Bilingual>;

/** Every column's header: a column that appears in several tables has one header in all of them. */
export const COLUMNS = {
  // Who and what
  partner: { ja: "相手都市", en: "Partner" },
  country: { ja: "国・地域", en: "Country or region" },
  destinations: { ja: "訪問先", en: "Destinations" },
  visitor: { ja: "来訪者", en: "Visitor" },
  visitorTitle: { ja: "役職", en: "Title" },
  purpose: { ja: "目的", en: "Purpose" },
  conference: { ja: "会議", en: "Conference" },
  role: { ja: "役割", en: "Role" },
  hostCity: { ja: "開催都市", en: "Host city" },
  item: { ja: "項目", en: "Item" },
  fiscalYear: { ja: "年度", en: "Fiscal year" },
  id: { ja: "ID", en: "ID" },
  staffMember: { ja: "職員", en: "Staff member" },
  hostOrganisation: { ja: "受入先", en: "Host organisation" },
  programme: { ja: "事業", en: "Programme" },
  agreement: { ja: "協定", en: "Agreement" },
  agreementId: { ja: "協定ID", en: "Agreement ID" },
  noticeId: { ja: "通知ID", en: "Notice ID" },
  subject: { ja: "件名", en: "Subject" },
  reason: { ja: "理由", en: "Reason" },
  queue: { ja: "キュー", en: "Queue" },
  // Kind and state
  basis: { ja: "根拠", en: "Basis" },
  newInPeriod: { ja: "期間内の構築", en: "New in the period" },
  timing: { ja: "時期", en: "Timing" },
  status: { ja: "状況", en: "Status" },
  direction: { ja: "派遣・受入の別", en: "Direction" },
  costBasis: { ja: "経費の区分", en: "Cost basis" },
  result: { ja: "結果", en: "Result" },
  // When
  date: { ja: "期日", en: "Date" },
  establishedOn: { ja: "構築日", en: "Established on" },
  startDate: { ja: "開始日", en: "Start" },
  endDate: { ja: "終了日", en: "End" },
  nextDeadline: { ja: "次の期限", en: "Next deadline" },
  deadlineFor: { ja: "期限の内容", en: "Deadline for" },
  lastExchangeOn: { ja: "最後の交流", en: "Last exchange" },
  dormantSince: { ja: "休眠開始日", en: "Dormant since" },
  reviewOn: { ja: "見直し期日", en: "Review due" },
  checkedAt: { ja: "照合日時", en: "Checked at" },
  failedAt: { ja: "失敗日時", en: "Failed at" },
  // How many and how much
  relationsCount: { ja: "関係数（目標・実績）", en: "Relations (target or actual)" },
  tripsCommitted: { ja: "出張回数（承認済以降）", en: "Trips committed" },
  tripCap: { ja: "年間の上限回数", en: "Annual cap" },
  travelCostsCommitted: { ja: "旅費（計上額）", en: "Travel costs committed" },
  travelBudget: { ja: "旅費予算額", en: "Travel budget" },
  cost: { ja: "経費", en: "Cost" },
  quota: { ja: "年間枠", en: "Annual quota" },
  counted: { ja: "枠に算入", en: "Counted against the quota" },
  active: PLACEMENT_STATUS.active,
  completed: PLACEMENT_STATUS.completed,
  cancelled: PLACEMENT_STATUS.cancelled,
  fundingRejected: PLACEMENT_STATUS["funding-rejected"],
  estimatedCost: { ja: "見込額", en: "Estimated cost" },
  actualCost: { ja: "実績額", en: "Actual cost" },
  appropriated: { ja: "予算額", en: "Appropriated" },
  held: { ja: "確保額", en: "Held" },
  spent: { ja: "支出額", en: "Spent" },
  available: { ja: "執行可能額", en: "Available" },
  released: { ja: "確保解除額", en: "Released" },
  mismatches: { ja: "不一致件数", en: "Mismatches" },
  daysLeft: { ja: "残り日数", en: "Days left" },
  messages: { ja: "件数", en: "Messages" },
} as const satisfies Record<string, Bilingual>;

/** The figures the report opens with. */
export const KEY_FIGURES = {
  relations: { ja: "具体的な関係（期末）", en: "Concrete relations at period end" },
  trips: TABLE_TITLES["governor-trips"],
  travelCosts: { ja: "旅費", en: "Travel costs" },
  fundAvailable: { ja: "基金の執行可能額", en: "Fund available" },
} as const satisfies Record<string, Bilingual>;

// --- Putting words together -----------------------------------------------------------------------------------

export function fiscalYear(year: number): Bilingual {
  return { ja: `${year}年度`, en: `FY${year}` };
}

/** `知事の海外出張（2026年度）` / `The governor's trips, FY2026`. */
export function forFiscalYear(title: Bilingual, year: number): Bilingual {
  const fy = fiscalYear(year);
  return { ja: `${title.ja}（${fy.ja}）`, en: `${title.en}, ${fy.en}` };
}

/** `事業別の収支（2026年度、2026年11月30日現在）` / `Statement by programme, FY2026, as of 30 November 2026`. */
export function forFiscalYearAsOf(title: Bilingual, year: number, isoDate: string): Bilingual {
  const fy = fiscalYear(year);
  const date = formatDate(isoDate);
  return { ja: `${title.ja}（${fy.ja}、${date.ja}現在）`, en: `${title.en}, ${fy.en}, as of ${date.en}` };
}

/** `期末の実績（2026年11月）` / `Actual at the end of November 2026`: the last line of the milestones. */
export function actualAtEndOf(periodLabel: Bilingual): Bilingual {
  return { ja: `期末の実績（${periodLabel.ja}）`, en: `Actual at the end of ${periodLabel.en}` };
}

/** A title on the pages a table continues on: `事業別の収支（続き）` / `Statement by programme (continued)`. */
export function continuedTitle(title: Bilingual): Bilingual {
  return { ja: `${title.ja}（${WORDS.continued.ja}）`, en: `${title.en} (${WORDS.continued.en})` };
}

/** A name's column in one language: `相手都市（日本語）` / `Partner (Japanese)`. */
export function inLanguage(header: Bilingual, language: "japanese" | "english"): Bilingual {
  const word = WORDS[language];
  return { ja: `${header.ja}（${word.ja}）`, en: `${header.en} (${word.en})` };
}
