import { addDays } from "@cdp/contracts";
import { projectAll, readerOf } from "./changes.ts";
import { buildProgressReport, loadInputs, type ProjectionReader } from "./progress-report.ts";
import type { ReportModel } from "./report-model.ts";

/**
 * Event histories as the bus carries them, for the reports' tests and the benchmark: the real partners, their
 * relations and agreements, the governor's trips and partner leaders' visits, conferences, exchange programmes and
 * placements, and the fund's appropriations, holds, postings, expenses and reconciliations, year after year.
 * Every detail keeps its contract (the tests check each). Pure and deterministic: ids come from a counter.
 */

export interface HistoryEvent {
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

export interface HistoryOptions {
  /** The first fiscal year of activity (partners and relations before it come from the reference data). */
  readonly firstFiscalYear?: number;
  readonly lastFiscalYear?: number;
  /** At least this many events: officials' visits and expense journals fill each month up to it. */
  readonly targetEvents?: number;
}

const PARTNERS = [
  {
    partnerId: "new-york",
    ja: "ニューヨーク市",
    en: "New York City",
    country: "US",
    kind: "city",
    signed: "1960-02-29",
  },
  { partnerId: "beijing", ja: "北京市", en: "Beijing", country: "CN", kind: "city", signed: "1979-03-14" },
  { partnerId: "paris", ja: "パリ市", en: "Paris", country: "FR", kind: "city", signed: "1982-07-14" },
  {
    partnerId: "new-south-wales",
    ja: "ニューサウスウェールズ州",
    en: "New South Wales",
    country: "AU",
    kind: "state",
    signed: "1984-05-09",
  },
  { partnerId: "seoul", ja: "ソウル特別市", en: "Seoul", country: "KR", kind: "city", signed: "1988-09-03" },
  { partnerId: "jakarta", ja: "ジャカルタ特別州", en: "Jakarta", country: "ID", kind: "city", signed: "1989-10-23" },
  { partnerId: "sao-paulo", ja: "サンパウロ州", en: "São Paulo", country: "BR", kind: "state", signed: "1990-06-13" },
  { partnerId: "cairo", ja: "カイロ県", en: "Cairo", country: "EG", kind: "city", signed: "1990-10-23" },
  { partnerId: "moscow", ja: "モスクワ市", en: "Moscow", country: "RU", kind: "city", signed: "1991-07-16" },
  { partnerId: "berlin", ja: "ベルリン州", en: "Berlin", country: "DE", kind: "city", signed: "1994-05-14" },
  { partnerId: "rome", ja: "ローマ市", en: "Rome", country: "IT", kind: "city", signed: "1996-07-05" },
  { partnerId: "london", ja: "ロンドン", en: "London", country: "GB", kind: "city", signed: "2015-10-14" },
  {
    partnerId: "los-angeles",
    ja: "ロサンゼルス市",
    en: "Los Angeles",
    country: "US",
    kind: "city",
    signed: "2018-07-25",
  },
] as const;

export const HISTORY_PARTNERS = PARTNERS;
const PROGRAMMES = ["scholarships", "joint-research", "staff-exchange", "talent-development"] as const;

/** Builds histories: each call to an event maker adds one event with its own id, in time order. */
export class HistoryBuilder {
  readonly events: HistoryEvent[] = [];
  private counter = 0;

  private nextId(): string {
    this.counter++;
    return `00000000-0000-4000-8000-${String(this.counter).padStart(12, "0")}`;
  }

  /** Adds an event occurring on `date` (09:00 in Tokyo); returns its detail. */
  add(detailType: string, date: string, fields: Record<string, unknown>): Record<string, unknown> {
    const eventId = this.nextId();
    const detail = {
      ...fields,
      correlationId: `history-${this.counter}`,
      metadata: { eventId, correlationId: `history-${this.counter}`, occurredAt: `${date}T00:00:00.000Z` },
    };
    this.events.push({ detailType, detail });
    return detail;
  }

  uuid(): string {
    return this.nextId();
  }

  partner(index: number, version = 1) {
    const partner = PARTNERS[index % PARTNERS.length] ?? PARTNERS[0];
    return this.add(version === 1 ? "PartnerRegistered.v1" : "PartnerUpdated.v1", partner.signed, {
      partnerId: partner.partnerId,
      name: { ja: partner.ja, en: partner.en },
      kind: partner.kind,
      country: partner.country,
      status: "active",
      contacts: [],
      version,
    });
  }

  relation(partnerId: string, establishedOn: string, basis: "agreement" | "reciprocal-visits" = "agreement") {
    return this.add("RelationEstablished.v1", establishedOn, { partnerId, establishedOn, basis });
  }

  agreement(partnerId: string, signedOn: string, reviewOn: string | null) {
    return this.add("AgreementConcluded.v1", signedOn, {
      partnerId,
      agreementId: `${partnerId}-${signedOn}`,
      type: "policy-cooperation",
      title: { ja: "政策協力に関する覚書", en: "Memorandum on policy cooperation" },
      signedOn,
      reviewOn,
    });
  }

  dormant(partnerId: string, since: string, lastExchangeOn: string | null) {
    return this.add("RelationDormant.v1", since, { partnerId, since, lastExchangeOn });
  }

  /** A visit through its life: approved, confirmed, then completed (with its cost) or cancelled. */
  visit(options: {
    direction: "outbound" | "inbound";
    level: "head" | "deputy" | "official";
    partnerIds: readonly string[];
    startDate: string;
    days: number;
    estimateYen: number;
    end: "approved" | "confirmed" | "completed" | "cancelled";
    actualCostYen?: number;
  }): string {
    const visitId = this.uuid();
    const endDate = addDays(options.startDate, options.days - 1);
    const head =
      options.direction === "outbound"
        ? { name: { ja: "東京都知事", en: "Governor of Tokyo" }, title: { ja: "知事", en: "Governor" } }
        : { name: { ja: "市長", en: "Mayor" }, title: { ja: "市長", en: "Mayor" } };
    const visit = {
      visitId,
      direction: options.direction,
      partnerIds: [...options.partnerIds],
      delegationHead: { ...head, level: options.level },
      purpose: "relationship-building",
      purposeStatement: { ja: "姉妹友好都市との関係強化", en: "Strengthening ties with partner cities" },
      startDate: options.startDate,
      endDate,
      estimateYen: options.estimateYen,
    };
    const approvedOn = addDays(options.startDate, -60);
    this.add("VisitApproved.v1", approvedOn, visit);
    if (options.end === "approved") return visitId;
    if (options.end === "cancelled") {
      this.add("VisitCancelled.v1", addDays(options.startDate, -10), {
        ...visit,
        reason: "日程の都合 / Schedule",
        previousStatus: "approved",
      });
      return visitId;
    }
    this.add("VisitConfirmed.v1", addDays(options.startDate, -30), visit);
    if (options.end === "confirmed") return visitId;
    this.add("VisitCompleted.v1", endDate, {
      visitId,
      direction: options.direction,
      partnerIds: [...options.partnerIds],
      leaderLevel: options.level,
      startDate: options.startDate,
      endDate,
      actualCostYen: options.actualCostYen ?? options.estimateYen,
    });
    return visitId;
  }

  conference(startDate: string, role: "participate" | "host" | "bid", bidDeadline: string | null) {
    return this.add("ConferenceRegistered.v1", addDays(startDate, -120), {
      conferenceId: this.uuid(),
      name: { ja: "世界都市サミット", en: "World Cities Summit" },
      city: { partnerId: "seoul" },
      startDate,
      endDate: addDays(startDate, 2),
      role,
      bidDeadline,
      visitIds: [],
    });
  }

  tripPlan(fiscalYear: number, tripCap: number, travelBudgetYen: number, version = 1) {
    return this.add("TripPlanSet.v1", `${fiscalYear}-04-01`, { fiscalYear, tripCap, travelBudgetYen, version });
  }

  programme(partnerId: string, on: string) {
    return this.add("ExchangeProgrammeCreated.v1", on, {
      programmeId: `${partnerId}-exchange`,
      partnerId,
      name: { ja: "職員交流", en: "Staff exchange" },
      placementsPerYear: { outbound: 1, inbound: 1 },
      totalDaysPerYear: { outbound: 183, inbound: 183 },
      minDays: 10,
      maxDays: 366,
    });
  }

  /** A placement through its life, each step an event with the next version. */
  placement(options: {
    partnerId: string;
    direction: "outbound" | "inbound";
    startDate: string;
    days: number;
    fiscalYear: number;
    estimatedYen: number;
    end: "approved" | "funded" | "active" | "completed" | "cancelled" | "funding-rejected";
  }): string {
    const placementId = `plc-${this.uuid().slice(-12)}`;
    const base = {
      placementId,
      programmeId: `${options.partnerId}-exchange`,
      partnerId: options.partnerId,
      direction: options.direction,
      person: { name: { ja: "山田 花子", en: "Hanako Yamada" } },
      hostOrganisation: { ja: "東京都", en: "Tokyo Metropolitan Government" },
      hostDepartment: { ja: "環境局", en: "Bureau of Environment" },
      startDate: options.startDate,
      endDate: addDays(options.startDate, options.days - 1),
      fiscalYear: options.fiscalYear,
      purpose: { ja: "気候変動対策の研修", en: "Training in climate policy" },
      fields: ["climate"],
      estimatedYen: options.estimatedYen,
    };
    const proposedOn = addDays(options.startDate, -90);
    this.add("PlacementProposed.v1", proposedOn, { ...base, status: "applied", version: 1 });
    this.add("PlacementApproved.v1", addDays(proposedOn, 5), {
      ...base,
      status: "approved",
      version: 2,
      holdReference: `placement:${placementId}`,
    });
    if (options.end === "approved") return placementId;
    if (options.end === "funding-rejected") {
      this.add("PlacementFundingRejected.v1", addDays(proposedOn, 6), {
        ...base,
        status: "funding-rejected",
        version: 3,
        reason: "insufficient-available",
        detail: "The appropriation has not enough available",
      });
      return placementId;
    }
    this.add("PlacementFunded.v1", addDays(proposedOn, 6), {
      ...base,
      status: "funded",
      version: 3,
      holdId: this.uuid(),
      heldYen: options.estimatedYen,
    });
    if (options.end === "funded") return placementId;
    if (options.end === "cancelled") {
      this.add("PlacementCancelled.v1", addDays(options.startDate, -5), {
        ...base,
        status: "cancelled",
        version: 4,
        reason: "本人の事情 / Personal reasons",
        previousStatus: "funded",
        incurredYen: 0,
      });
      return placementId;
    }
    this.add("PlacementStarted.v1", options.startDate, { ...base, status: "active", version: 4 });
    if (options.end === "active") return placementId;
    this.add("PlacementCompleted.v1", base.endDate, {
      ...base,
      status: "completed",
      version: 5,
      actualYen: Math.round(options.estimatedYen * 0.95),
    });
    return placementId;
  }

  journal(
    kind: "appropriation" | "hold" | "release" | "posting" | "expense" | "reversal",
    fiscalYear: number,
    programme: string,
    date: string,
    amountYen: number,
  ) {
    const appropriation = `fy${fiscalYear}:${programme}:appropriation`;
    const lines =
      kind === "appropriation"
        ? [
            { account: "principal", side: "debit", amountYen },
            { account: appropriation, side: "credit", amountYen },
          ]
        : kind === "reversal"
          ? [
              { account: `fy${fiscalYear}:${programme}:commitments`, side: "debit", amountYen },
              { account: appropriation, side: "credit", amountYen },
            ]
          : [
              { account: appropriation, side: "debit", amountYen },
              { account: `fy${fiscalYear}:${programme}:commitments`, side: "credit", amountYen },
            ];
    return this.add("FundJournalPosted.v1", date, {
      journalId: this.uuid(),
      kind,
      fiscalYear,
      date,
      pending: kind === "hold",
      description: { ja: "仕訳", en: "Journal" },
      lines,
    });
  }

  /**
   * A hold placed, then posted in part, as the ledger publishes it: the release voids the whole pending hold (its
   * journal has the hold's own lines), the posting spends what was spent, and the rest returns to the budget.
   */
  heldAndPosted(
    fiscalYear: number,
    programme: string,
    heldOn: string,
    postedOn: string,
    heldYen: number,
    postedYen: number,
  ) {
    this.journal("hold", fiscalYear, programme, heldOn, heldYen);
    this.journal("release", fiscalYear, programme, postedOn, heldYen);
    this.journal("posting", fiscalYear, programme, postedOn, postedYen);
    this.add("FundHoldPosted.v1", postedOn, {
      holdId: this.uuid(),
      reference: `grant:${this.counter}`,
      programme,
      fiscalYear,
      amountYen: heldYen,
      postedYen,
      releasedYen: heldYen - postedYen,
      journalId: this.uuid(),
    });
  }

  /** A notice that failed on `failedOn`; sent after all on `sentOn` when given. */
  noticeFailed(noticeId: string, partnerId: string, failedOn: string, sentOn?: string) {
    const facts = { noticeId, kind: "visit-confirmed", subjectKind: "visit", subjectId: this.uuid(), partnerId };
    this.add("NoticeFailed.v1", failedOn, {
      ...facts,
      attempts: 3,
      error: "MessageRejected",
      failedAt: `${failedOn}T01:00:00.000Z`,
    });
    if (sentOn) {
      this.add("NoticeSentAfterFailure.v1", sentOn, { ...facts, attempts: 4, sentAt: `${sentOn}T01:00:00.000Z` });
    }
  }

  reconciled(checkedOn: string) {
    return this.add("LedgerReconciled.v1", checkedOn, {
      runId: this.uuid(),
      checkedAt: `${checkedOn}T14:30:00.000Z`,
      accounts: 42,
    });
  }
}

function monthsOf(fiscalYear: number): string[] {
  return Array.from({ length: 12 }, (_, index) => {
    const month = ((index + 3) % 12) + 1;
    const year = month >= 4 ? fiscalYear : fiscalYear + 1;
    return `${year}-${String(month).padStart(2, "0")}`;
  });
}

/**
 * A platform's history: the partners and their relations, then, for each fiscal year, a trip plan, three
 * governor's trips, partner leaders' visits, a conference bid, placements each way with Seoul and Berlin, and the
 * fund's year (appropriations, holds posted, monthly expenses and reconciliations). `targetEvents` pads each month
 * with officials' visits and expense journals, evenly, until the history has at least that many events.
 */
export function aHistory(options: HistoryOptions = {}): HistoryEvent[] {
  const first = options.firstFiscalYear ?? 2024;
  const last = options.lastFiscalYear ?? 2026;
  const history = new HistoryBuilder();
  PARTNERS.forEach((partner, index) => {
    history.partner(index);
    history.relation(
      partner.partnerId,
      partner.signed,
      partner.partnerId === "los-angeles" ? "reciprocal-visits" : "agreement",
    );
  });
  history.agreement("new-south-wales", "2024-02-06", `${last + 1}-02-06`);
  history.agreement("berlin", "2024-05-14", `${last}-12-20`);
  history.dormant("moscow", "2022-10-02", "2019-10-02");
  history.programme("seoul", `${first}-04-01`);
  history.programme("berlin", `${first}-04-01`);

  const years = last - first + 1;
  const baseline = years * 70 + history.events.length;
  const fillerPerMonth = Math.max(0, Math.ceil(((options.targetEvents ?? 0) - baseline) / (years * 12)));
  for (let fy = first; fy <= last; fy++) {
    history.tripPlan(fy, 3, 42_000_000);
    for (const programme of PROGRAMMES) history.journal("appropriation", fy, programme, `${fy}-04-01`, 50_000_000);
    history.visit({
      direction: "outbound",
      level: "head",
      partnerIds: ["london", "paris"],
      startDate: `${fy}-05-10`,
      days: 6,
      estimateYen: 14_000_000,
      end: "completed",
      actualCostYen: 13_920_000,
    });
    history.visit({
      direction: "outbound",
      level: "head",
      partnerIds: ["new-york"],
      startDate: `${fy}-11-09`,
      days: 5,
      estimateYen: 13_930_000,
      end: "completed",
    });
    history.visit({
      direction: "outbound",
      level: "head",
      partnerIds: ["seoul"],
      startDate: `${fy + 1}-02-15`,
      days: 3,
      estimateYen: 8_000_000,
      end: "confirmed",
    });
    history.visit({
      direction: "inbound",
      level: "head",
      partnerIds: ["seoul"],
      startDate: `${fy}-11-20`,
      days: 3,
      estimateYen: 0,
      end: "completed",
    });
    history.visit({
      direction: "inbound",
      level: "head",
      partnerIds: ["berlin"],
      startDate: `${fy}-07-01`,
      days: 2,
      estimateYen: 0,
      end: "cancelled",
    });
    history.conference(`${fy + 1}-03-10`, "bid", `${fy}-12-15`);
    history.noticeFailed(`ntc-${fy}-paris`, "paris", `${fy}-11-18`);
    history.noticeFailed(`ntc-${fy}-rome`, "rome", `${fy}-11-19`, `${fy}-11-20`);
    history.placement({
      partnerId: "seoul",
      direction: "outbound",
      startDate: `${fy}-10-01`,
      days: 182,
      fiscalYear: fy,
      estimatedYen: 4_860_000,
      end: "active",
    });
    history.placement({
      partnerId: "berlin",
      direction: "inbound",
      startDate: `${fy}-04-15`,
      days: 150,
      fiscalYear: fy,
      estimatedYen: 3_900_000,
      end: "completed",
    });
    history.placement({
      partnerId: "seoul",
      direction: "inbound",
      startDate: `${fy}-06-01`,
      days: 90,
      fiscalYear: fy,
      estimatedYen: 2_500_000,
      end: "cancelled",
    });
    history.placement({
      partnerId: "berlin",
      direction: "outbound",
      startDate: `${fy}-09-01`,
      days: 120,
      fiscalYear: fy,
      estimatedYen: 90_000_000,
      end: "funding-rejected",
    });
    for (const [index, month] of monthsOf(fy).entries()) {
      history.heldAndPosted(fy, "scholarships", `${month}-05`, `${month}-25`, 1_200_000, 1_150_000);
      history.journal("expense", fy, "joint-research", `${month}-15`, 800_000);
      history.reconciled(`${month}-28`);
      for (let filler = 0; filler < fillerPerMonth; filler++) {
        if (filler % 2 === 0) {
          history.journal(
            "expense",
            fy,
            PROGRAMMES[filler % PROGRAMMES.length] as string,
            `${month}-${String(1 + (filler % 27)).padStart(2, "0")}`,
            1_000 + filler,
          );
        } else {
          const partner = PARTNERS[(index + filler) % PARTNERS.length] ?? PARTNERS[0];
          history.visit({
            direction: "inbound",
            level: "official",
            partnerIds: [partner.partnerId],
            startDate: `${month}-${String(1 + (filler % 25)).padStart(2, "0")}`,
            days: 2,
            estimateYen: 0,
            end: "approved",
          });
        }
      }
    }
  }
  return history.events;
}

/** The report of [from, to] from projections (a store, or `events` projected in memory), generated at a fixed time. */
export async function reportFrom(
  source: ProjectionReader | readonly HistoryEvent[],
  from = "2026-11-01",
  to = "2026-11-30",
): Promise<ReportModel> {
  const reader = Array.isArray(source) ? readerOf(projectAll(source)) : (source as ProjectionReader);
  const inputs = await loadInputs(reader, from, to);
  return buildProgressReport({ reportId: "r-1", from, to, generatedAt: "2026-12-01T06:00:00+09:00" }, inputs);
}
