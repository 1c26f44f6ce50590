import { compareCodeUnits, daysBetween, fiscalYearOf, TRIP_PLAN_GUIDELINE, tokyoDate } from "@cdp/contracts";
import { fiscalYearEnd, fiscalYearsOf, periodOf } from "./periods.ts";
import type {
  FundMonth,
  ProjectedAgreement,
  ProjectedConference,
  ProjectedNotice,
  ProjectedPartner,
  ProjectedPlacement,
  ProjectedProgramme,
  ProjectedReconciliation,
  ProjectedTripPlan,
  ProjectedVisit,
} from "./projections.ts";
import { isDormant } from "./projections.ts";
import type {
  Bilingual,
  ConferenceRow,
  DeadLetterRow,
  ExchangesSection,
  FailedNoticeRow,
  FundProgrammeRow,
  FundSection,
  GovernorTripRow,
  LeaderVisitRow,
  QuotaRow,
  RelationsSection,
  ReportModel,
  VisitsSection,
  VisitTiming,
} from "./report-model.ts";

/**
 * The City Diplomacy Progress Report, computed from the projections for one period. Pure: the store loads
 * what the period needs (see `ReportInputs`), this decides every figure, and each format only renders them.
 */

export interface ReportInputs {
  readonly partners: readonly ProjectedPartner[];
  readonly agreements: readonly ProjectedAgreement[];
  /** Visits and conferences of every fiscal year the period touches. */
  readonly visits: readonly ProjectedVisit[];
  readonly conferences: readonly ProjectedConference[];
  /** The trip cap and budget set for the fiscal year of the period's end, if any was. */
  readonly tripPlan: ProjectedTripPlan | undefined;
  readonly programmes: readonly ProjectedProgramme[];
  /** Placements of the fiscal year of the period's end. */
  readonly placements: readonly ProjectedPlacement[];
  /** The fund's months of the fiscal year of the period's end. */
  readonly fundMonths: readonly FundMonth[];
  readonly reconciliation: ProjectedReconciliation | undefined;
  readonly failedNotices: readonly FailedNoticeRow[];
  readonly deadLetters: readonly DeadLetterRow[];
}

/** Where the projections are read from: the service's table, or a history projected in memory. */
export interface ProjectionReader {
  partners(): Promise<ProjectedPartner[]>;
  agreements(): Promise<ProjectedAgreement[]>;
  programmes(): Promise<ProjectedProgramme[]>;
  visits(fiscalYears: readonly number[]): Promise<ProjectedVisit[]>;
  conferences(fiscalYears: readonly number[]): Promise<ProjectedConference[]>;
  placements(fiscalYear: number): Promise<ProjectedPlacement[]>;
  fundMonths(fiscalYear: number): Promise<FundMonth[]>;
  tripPlan(fiscalYear: number): Promise<ProjectedTripPlan | undefined>;
  reconciliation(): Promise<ProjectedReconciliation | undefined>;
  /** Notices still failed that failed in these fiscal years. */
  failedNotices(fiscalYears: readonly number[]): Promise<ProjectedNotice[]>;
}

/**
 * What a report of [from, to] reads: the small sets whole (partners, agreements, programmes), and the fiscal years
 * the period touches. Its cost follows the period, not the length of the history.
 */
/** Where the dead-letter queues could not be counted: said so, rather than an empty list that would read as none. */
export const NOT_COUNTED: readonly DeadLetterRow[] = [{ queue: "*", count: null }];

/**
 * `deadLetters` are queue depths at generation time (SQS, not events: the generator counts them), or not counted.
 */
export async function loadInputs(
  reader: ProjectionReader,
  from: string,
  to: string,
  deadLetters: readonly DeadLetterRow[] = NOT_COUNTED,
): Promise<ReportInputs> {
  const fiscalYear = fiscalYearOf(to);
  const years = fiscalYearsOf(from, to);
  const [
    partners,
    agreements,
    visits,
    conferences,
    tripPlan,
    programmes,
    placements,
    fundMonths,
    reconciliation,
    notices,
  ] = await Promise.all([
    reader.partners(),
    reader.agreements(),
    reader.visits(years),
    reader.conferences(years),
    reader.tripPlan(fiscalYear),
    reader.programmes(),
    reader.placements(fiscalYear),
    reader.fundMonths(fiscalYear),
    reader.reconciliation(),
    reader.failedNotices(years),
  ]);
  const names = new Map(partners.map((partner) => [partner.partnerId, partner.name]));
  return {
    partners,
    agreements,
    visits,
    conferences,
    tripPlan,
    programmes,
    placements,
    fundMonths,
    reconciliation,
    failedNotices: notices
      .filter((notice) => tokyoDate(new Date(notice.at)) <= to)
      .map((notice) => ({
        noticeId: notice.noticeId,
        partner: names.get(notice.partnerId) ?? { ja: notice.partnerId, en: notice.partnerId },
        subject: `${notice.kind}: ${notice.subjectKind} ${notice.subjectId}`,
        failedAt: notice.at,
        reason: `${notice.error ?? "unknown"} (${notice.attempts})`,
      })),
    deadLetters,
  };
}

export interface ReportRequest {
  readonly reportId: string;
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
}

/** The strategy's milestones (Basic Strategy for City Diplomacy, 2014): 15 cities by 2017, 30 by the 2020 Games. */
export const MILESTONES = [
  { date: "2017-12-31", target: 15, label: { ja: "2017年までに15都市", en: "15 cities by 2017" } },
  {
    date: "2020-07-24",
    target: 30,
    label: { ja: "東京2020大会までに30都市", en: "30 cities by the Tokyo 2020 Games" },
  },
] as const;

/** Agreements due for review within this many days of the period's end are flagged. */
export const REVIEW_NOTICE_DAYS = 90;

/** The fund's programmes by name; a programme the fund adds later shows by its id until named here. */
export const PROGRAMME_NAMES: Readonly<Record<string, Bilingual>> = {
  scholarships: { ja: "留学生奨学金", en: "Scholarships" },
  "joint-research": { ja: "共同研究", en: "Joint research" },
  "staff-exchange": { ja: "職員交流", en: "Staff exchange" },
  "talent-development": { ja: "人材育成", en: "Talent development" },
};

const PURPOSES: Readonly<Record<string, Bilingual>> = {
  "international-conference": { ja: "国際会議等への出席", en: "An international conference or event" },
  "relationship-building": { ja: "姉妹友好都市等との関係強化", en: "Strengthening ties with partner cities" },
  "policy-promotion": { ja: "政策推進・プロモーション", en: "Policy and promotion" },
};

export function buildProgressReport(request: ReportRequest, inputs: ReportInputs): ReportModel {
  const { from, to } = request;
  const partnerNames = new Map(inputs.partners.map((partner) => [partner.partnerId, partner.name]));
  const nameOf = (partnerId: string): Bilingual => partnerNames.get(partnerId) ?? { ja: partnerId, en: partnerId };
  return {
    reportId: request.reportId,
    kind: "progress",
    title: { ja: "都市外交推進状況報告", en: "City Diplomacy Progress Report" },
    period: periodOf(from, to),
    generatedAt: request.generatedAt,
    relations: relationsSection(inputs.partners, from, to),
    visits: visitsSection(inputs, from, to, nameOf),
    exchanges: exchangesSection(inputs, to, nameOf),
    fund: fundSection(inputs, to),
    attention: {
      dormant: inputs.partners
        .filter((partner) => isDormant(partner, to))
        .map((partner) => ({
          partnerId: partner.partnerId,
          partner: partner.name,
          lastExchangeOn: partner.dormant?.lastExchangeOn ?? null,
          since: partner.dormant?.since ?? to,
        }))
        .sort((a, b) => compareCodeUnits(a.since, b.since)),
      reviewsDue: inputs.agreements
        .filter((agreement) => agreement.reviewOn !== null && daysBetween(to, agreement.reviewOn) <= REVIEW_NOTICE_DAYS)
        .map((agreement) => ({
          partnerId: agreement.partnerId,
          partner: nameOf(agreement.partnerId),
          agreementId: agreement.agreementId,
          title: agreement.title,
          reviewOn: agreement.reviewOn as string,
          daysLeft: daysBetween(to, agreement.reviewOn as string),
        }))
        .sort((a, b) => compareCodeUnits(a.reviewOn, b.reviewOn)),
      failedNotices: [...inputs.failedNotices].sort((a, b) => compareCodeUnits(a.failedAt, b.failedAt)),
      deadLetters: attentionToDeadLetters(inputs.deadLetters),
    },
  };
}

function relationsSection(partners: readonly ProjectedPartner[], from: string, to: string): RelationsSection {
  const rows = partners
    .flatMap((partner) =>
      partner.relation && partner.relation.establishedOn <= to
        ? [
            {
              partnerId: partner.partnerId,
              partner: partner.name,
              country: partner.country,
              establishedOn: partner.relation.establishedOn,
              basis: partner.relation.basis,
              inPeriod: partner.relation.establishedOn >= from,
            },
          ]
        : [],
    )
    .sort((a, b) => compareCodeUnits(a.establishedOn, b.establishedOn) || compareCodeUnits(a.partnerId, b.partnerId));
  const series: { date: string; count: number }[] = [];
  rows.forEach((row, index) => {
    const last = series.at(-1);
    if (last?.date === row.establishedOn) last.count = index + 1;
    else series.push({ date: row.establishedOn, count: index + 1 });
  });
  return { milestones: MILESTONES, series, rows, total: rows.length };
}

/** A visit is in the period when it overlaps it; planned when it starts after it, within the same fiscal year. */
function timingOf(visit: { startDate: string; endDate: string }, from: string, to: string): VisitTiming | null {
  if (visit.startDate <= to && visit.endDate >= from) return "in-period";
  if (visit.startDate > to && visit.startDate <= fiscalYearEnd(to)) return "planned";
  return null;
}

function visitsSection(
  inputs: ReportInputs,
  from: string,
  to: string,
  nameOf: (partnerId: string) => Bilingual,
): VisitsSection {
  const fiscalYear = fiscalYearOf(to);
  const plan = inputs.tripPlan?.fiscalYear === fiscalYear ? inputs.tripPlan : TRIP_PLAN_GUIDELINE;
  const byStart = [...inputs.visits].sort(
    (a, b) => compareCodeUnits(a.startDate, b.startDate) || compareCodeUnits(a.visitId, b.visitId),
  );
  const governorTrips = byStart.filter((visit) => visit.direction === "outbound" && visit.leaderLevel === "head");
  // What the plan counts: every trip of the fiscal year not cancelled, at its actual cost once known.
  const committed = governorTrips.filter(
    (visit) => fiscalYearOf(visit.startDate) === fiscalYear && visit.status !== "cancelled",
  );
  const costOf = (visit: ProjectedVisit) =>
    visit.status === "completed" && visit.actualCostYen !== null
      ? { costYen: visit.actualCostYen, costBasis: "actual" as const }
      : { costYen: visit.estimateYen ?? 0, costBasis: "estimate" as const };
  const tripRows: GovernorTripRow[] = governorTrips.flatMap((visit) => {
    const timing = timingOf(visit, from, to);
    if (!timing) return [];
    return [
      {
        visitId: visit.visitId,
        partners: visit.partnerIds.map(nameOf),
        purpose: (visit.purpose ? PURPOSES[visit.purpose] : undefined) ??
          visit.purposeStatement ?? { ja: "—", en: "—" },
        startDate: visit.startDate,
        endDate: visit.endDate,
        status: visit.status,
        ...costOf(visit),
        timing,
      },
    ];
  });
  const leaderVisits: LeaderVisitRow[] = byStart
    .filter((visit) => visit.direction === "inbound" && visit.leaderLevel === "head")
    .flatMap((visit) => {
      const timing = timingOf(visit, from, to);
      if (!timing) return [];
      return [
        {
          visitId: visit.visitId,
          partners: visit.partnerIds.map(nameOf),
          headName: visit.head?.name ?? { ja: "—", en: "—" },
          headTitle: visit.head?.title ?? { ja: "—", en: "—" },
          startDate: visit.startDate,
          endDate: visit.endDate,
          status: visit.status,
          timing,
        },
      ];
    });
  const conferences: ConferenceRow[] = [...inputs.conferences]
    .filter((conference) => timingOf(conference, from, to) !== null || (conference.bidDeadline ?? "") >= to)
    .sort((a, b) => compareCodeUnits(a.startDate, b.startDate))
    .map((conference) => {
      const deadlineAhead = conference.bidDeadline !== null && conference.bidDeadline >= to;
      return {
        conferenceId: conference.conferenceId,
        name: conference.name,
        role: conference.role === "participate" ? "attend" : conference.role,
        city: "partnerId" in conference.city ? nameOf(conference.city.partnerId) : conference.city.name,
        startDate: conference.startDate,
        endDate: conference.endDate,
        deadline: deadlineAhead ? conference.bidDeadline : null,
        deadlineWhat: deadlineAhead ? { ja: "招致提案の締切", en: "Bid deadline" } : null,
      };
    });
  return {
    fiscalYear,
    tripCap: plan.tripCap,
    travelBudgetYen: plan.travelBudgetYen,
    tripsCommitted: committed.length,
    budgetCommittedYen: committed.reduce((sum, visit) => sum + costOf(visit).costYen, 0),
    governorTrips: tripRows,
    leaderVisits,
    conferences,
  };
}

/** Placements that hold a slot of the year's quota: approved and onwards, until cancelled or refused money. */
const COUNTS_AGAINST_QUOTA = new Set(["approved", "funded", "active", "completed"]);

function exchangesSection(
  inputs: ReportInputs,
  to: string,
  nameOf: (partnerId: string) => Bilingual,
): ExchangesSection {
  const fiscalYear = fiscalYearOf(to);
  const placements = inputs.placements.filter((placement) => placement.fiscalYear === fiscalYear);
  const quotas: QuotaRow[] = [];
  for (const programme of [...inputs.programmes].sort((a, b) => compareCodeUnits(a.programmeId, b.programmeId))) {
    for (const direction of ["outbound", "inbound"] as const) {
      const own = placements.filter((p) => p.programmeId === programme.programmeId && p.direction === direction);
      const count = (status: string) => own.filter((p) => p.status === status).length;
      quotas.push({
        programmeId: programme.programmeId,
        partnerId: programme.partnerId,
        partner: nameOf(programme.partnerId),
        direction,
        quota: programme.placementsPerYear[direction],
        counted: own.filter((p) => COUNTS_AGAINST_QUOTA.has(p.status)).length,
        active: count("active"),
        completed: count("completed"),
        cancelled: count("cancelled"),
        fundingRejected: count("funding-rejected"),
      });
    }
  }
  const total = (status: string) => placements.filter((p) => p.status === status).length;
  return {
    fiscalYear,
    quotas,
    placements: [...placements]
      .sort((a, b) => compareCodeUnits(a.startDate, b.startDate) || compareCodeUnits(a.placementId, b.placementId))
      .map((placement) => ({
        placementId: placement.placementId,
        partner: nameOf(placement.partnerId),
        direction: placement.direction,
        person: placement.person,
        host: placement.host,
        startDate: placement.startDate,
        endDate: placement.endDate,
        status: placement.status,
        estimatedYen: placement.estimatedYen,
        actualYen: placement.actualYen,
      })),
    totals: {
      active: total("active"),
      completed: total("completed"),
      cancelled: total("cancelled"),
      fundingRejected: total("funding-rejected"),
    },
  };
}

function fundSection(inputs: ReportInputs, to: string): FundSection {
  const fiscalYear = fiscalYearOf(to);
  const untilMonth = to.slice(0, 7);
  const sums = new Map<string, Omit<FundProgrammeRow, "programme" | "name" | "availableYen">>();
  for (const month of inputs.fundMonths) {
    if (month.fiscalYear !== fiscalYear || month.month > untilMonth) continue;
    const sum = sums.get(month.programme) ?? { appropriatedYen: 0, heldYen: 0, spentYen: 0, releasedYen: 0 };
    sums.set(month.programme, {
      appropriatedYen: sum.appropriatedYen + month.appropriatedYen,
      heldYen: sum.heldYen + month.heldYen,
      spentYen: sum.spentYen + month.spentYen,
      releasedYen: sum.releasedYen + month.releasedYen,
    });
  }
  const programmes: FundProgrammeRow[] = [...sums.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([programme, sum]) => ({
      programme,
      name: PROGRAMME_NAMES[programme] ?? { ja: programme, en: programme },
      ...sum,
      availableYen: sum.appropriatedYen - sum.heldYen - sum.spentYen,
    }));
  const totals = programmes.reduce(
    (total, row) => ({
      appropriatedYen: total.appropriatedYen + row.appropriatedYen,
      heldYen: total.heldYen + row.heldYen,
      spentYen: total.spentYen + row.spentYen,
      availableYen: total.availableYen + row.availableYen,
      releasedYen: total.releasedYen + row.releasedYen,
    }),
    { appropriatedYen: 0, heldYen: 0, spentYen: 0, availableYen: 0, releasedYen: 0 },
  );
  const { reconciliation } = inputs;
  return {
    fiscalYear,
    asOf: to,
    programmes,
    totals,
    reconciliation: reconciliation
      ? {
          status: reconciliation.mismatches === 0 ? "ok" : "failed",
          checkedAt: reconciliation.checkedAt,
          mismatches: reconciliation.mismatches,
        }
      : { status: "unknown", checkedAt: null, mismatches: 0 },
  };
}

/**
 * The queues with letters waiting, fullest first, then one line for the empty ones: the platform has dozens of
 * queues, and the attention section is for what needs a person. A count that could not be made stays as it is.
 */
export function attentionToDeadLetters(rows: readonly DeadLetterRow[]): readonly DeadLetterRow[] {
  if (rows.some((row) => row.count === null)) return rows;
  const waiting = rows
    .filter((row) => (row.count ?? 0) > 0)
    .sort((a, b) => (b.count ?? 0) - (a.count ?? 0) || compareCodeUnits(a.queue, b.queue));
  const empty = rows.length - waiting.length;
  return empty > 0 ? [...waiting, { queue: `ほか${empty}キュー / ${empty} other queues`, count: 0 }] : waiting;
}
