/**
 * The City Diplomacy Progress Report as data: what the domain computes from the projections for one period,
 * and what every format (HTML, PDF, XLSX, CSV) renders. No format computes anything of its own, so the four
 * always agree. Amounts are whole yen; dates are `YYYY-MM-DD` (Asia/Tokyo).
 */

export interface Bilingual {
  readonly ja: string;
  readonly en: string;
}

export type ReportKind = "progress";
export type Direction = "outbound" | "inbound";

export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
  /** e.g. `2026年11月` / `November 2026`, or `2026年度（11月30日まで）` / `FY2026 to 30 November`. */
  readonly label: Bilingual;
}

/** A milestone of the strategy: 15 concrete relations by the end of 2017, 30 by the Tokyo 2020 Games. */
export interface Milestone {
  readonly date: string;
  readonly target: number;
  readonly label: Bilingual;
}

export interface RelationRow {
  readonly partnerId: string;
  readonly partner: Bilingual;
  readonly country: string;
  readonly establishedOn: string;
  readonly basis: "agreement" | "reciprocal-visits";
  /** Established within the report's period. */
  readonly inPeriod: boolean;
}

export interface RelationsSection {
  readonly milestones: readonly Milestone[];
  /** Cumulative count of concrete relations, one point per date on which it changed, ascending. */
  readonly series: readonly { readonly date: string; readonly count: number }[];
  readonly rows: readonly RelationRow[];
  /** Concrete relations at the end of the period. */
  readonly total: number;
}

export type VisitStatus = "proposed" | "approved" | "confirmed" | "completed" | "cancelled";
/** In the period, or planned for the rest of the fiscal year after it. */
export type VisitTiming = "in-period" | "planned";

export interface GovernorTripRow {
  readonly visitId: string;
  readonly partners: readonly Bilingual[];
  readonly purpose: Bilingual;
  readonly startDate: string;
  readonly endDate: string;
  readonly status: VisitStatus;
  readonly costYen: number;
  /** `actual` once a completed trip's cost is known, `estimate` before. */
  readonly costBasis: "actual" | "estimate";
  readonly timing: VisitTiming;
}

export interface LeaderVisitRow {
  readonly visitId: string;
  readonly partners: readonly Bilingual[];
  readonly headName: Bilingual;
  readonly headTitle: Bilingual;
  readonly startDate: string;
  readonly endDate: string;
  readonly status: VisitStatus;
  readonly timing: VisitTiming;
}

export type ConferenceRole = "host" | "attend" | "bid";

export interface ConferenceRow {
  readonly conferenceId: string;
  readonly name: Bilingual;
  readonly role: ConferenceRole;
  readonly city: Bilingual;
  readonly startDate: string;
  readonly endDate: string;
  /** The next deadline (bid, registration), when one lies ahead of the period's end. */
  readonly deadline: string | null;
  readonly deadlineWhat: Bilingual | null;
}

export interface VisitsSection {
  readonly fiscalYear: number;
  readonly tripCap: number;
  readonly travelBudgetYen: number;
  /** Governor's trips approved, confirmed or completed in the fiscal year (cancelled ones do not count). */
  readonly tripsCommitted: number;
  readonly budgetCommittedYen: number;
  readonly governorTrips: readonly GovernorTripRow[];
  readonly leaderVisits: readonly LeaderVisitRow[];
  readonly conferences: readonly ConferenceRow[];
}

export type PlacementStatus =
  | "applied"
  | "approved"
  | "funded"
  | "active"
  | "completed"
  | "cancelled"
  | "funding-rejected";

export interface QuotaRow {
  readonly programmeId: string;
  readonly partnerId: string;
  readonly partner: Bilingual;
  readonly direction: Direction;
  /** The programme's placements a year this way. */
  readonly quota: number;
  /** Placements of the fiscal year counting against it (approved, funded, active, completed). */
  readonly counted: number;
  readonly active: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly fundingRejected: number;
}

export interface PlacementRow {
  readonly placementId: string;
  readonly partner: Bilingual;
  readonly direction: Direction;
  readonly person: Bilingual;
  readonly host: Bilingual;
  readonly startDate: string;
  readonly endDate: string;
  readonly status: PlacementStatus;
  readonly estimatedYen: number;
  readonly actualYen: number | null;
}

export interface ExchangesSection {
  readonly fiscalYear: number;
  readonly quotas: readonly QuotaRow[];
  readonly placements: readonly PlacementRow[];
  readonly totals: {
    readonly active: number;
    readonly completed: number;
    readonly cancelled: number;
    readonly fundingRejected: number;
  };
}

export interface FundProgrammeRow {
  readonly programme: string;
  readonly name: Bilingual;
  readonly appropriatedYen: number;
  readonly heldYen: number;
  readonly spentYen: number;
  readonly availableYen: number;
  readonly releasedYen: number;
}

export interface FundSection {
  readonly fiscalYear: number;
  /** As of the end of the period. */
  readonly asOf: string;
  readonly programmes: readonly FundProgrammeRow[];
  readonly totals: Omit<FundProgrammeRow, "programme" | "name">;
  /** `ok`: the last reconciliation found no mismatch; `failed`: it found some; `unknown`: none ran yet. */
  readonly reconciliation: {
    readonly status: "ok" | "failed" | "unknown";
    readonly checkedAt: string | null;
    readonly mismatches: number;
  };
}

export interface DormantRow {
  readonly partnerId: string;
  readonly partner: Bilingual;
  readonly lastExchangeOn: string | null;
  readonly since: string;
}

export interface ReviewDueRow {
  readonly partnerId: string;
  readonly partner: Bilingual;
  readonly agreementId: string;
  readonly title: Bilingual;
  readonly reviewOn: string;
  readonly daysLeft: number;
}

export interface FailedNoticeRow {
  readonly noticeId: string;
  readonly partner: Bilingual;
  readonly subject: string;
  readonly failedAt: string;
  readonly reason: string;
}

export interface DeadLetterRow {
  readonly queue: string;
  /** Messages waiting when the report was made; null where the queues could not be counted. */
  readonly count: number | null;
}

export interface AttentionSection {
  readonly dormant: readonly DormantRow[];
  readonly reviewsDue: readonly ReviewDueRow[];
  readonly failedNotices: readonly FailedNoticeRow[];
  readonly deadLetters: readonly DeadLetterRow[];
}

export interface ReportModel {
  readonly reportId: string;
  readonly kind: ReportKind;
  readonly title: Bilingual;
  readonly period: ReportPeriod;
  readonly generatedAt: string;
  readonly relations: RelationsSection;
  readonly visits: VisitsSection;
  readonly exchanges: ExchangesSection;
  readonly fund: FundSection;
  readonly attention: AttentionSection;
}
