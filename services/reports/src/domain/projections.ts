import {
  type AgreementConcluded,
  type ConferenceRegistered,
  type ExchangeProgrammeCreated,
  type FundHoldPosted,
  type FundHoldVoided,
  type FundJournalPosted,
  type LedgerReconciled,
  type LedgerReconciliationFailed,
  type NoticeFailed,
  type NoticeSentAfterFailure,
  type PartnerRegistered,
  type PartnerUpdated,
  type PlacementProposed,
  type RelationDormant,
  type RelationEstablished,
  type TripPlanSet,
  tokyoDate,
  type VisitApproved,
  type VisitCompleted,
} from "@cdp/contracts";
import type * as z from "zod/mini";
import type { Bilingual, PlacementStatus, VisitStatus } from "./report-model.ts";

/**
 * The read models the reports are built from, and how each event changes them. Pure: the store loads the
 * current state, asks here for the next, and writes it. Every change is order-tolerant and idempotent, so
 * a replay of the bus's history, in any order and with duplicates, rebuilds the same projections:
 * - entities keep the newest state by version or by life-cycle rank, and merge facts an event lacks;
 * - the fund's figures are sums per month (commutative), each event counted once (the store dedupes).
 */

type Detail<C extends { detail: z.ZodMiniType }> = z.output<C["detail"]>;

export interface ProjectedPartner {
  readonly partnerId: string;
  readonly name: Bilingual;
  readonly country: string;
  readonly kind: string;
  readonly status: string;
  /** The registry's version of the partner's facts (0 until a partner event came). */
  readonly version: number;
  readonly relation: { readonly establishedOn: string; readonly basis: "agreement" | "reciprocal-visits" } | null;
  /** The latest dormancy review that found the relation dormant. */
  readonly dormant: { readonly since: string; readonly lastExchangeOn: string | null } | null;
  /** The end of the latest completed visit with the partner: an exchange that ends dormancy when newer. */
  readonly lastVisitOn: string | null;
}

export interface ProjectedAgreement {
  readonly partnerId: string;
  readonly agreementId: string;
  readonly type: string;
  readonly title: Bilingual;
  readonly signedOn: string;
  readonly reviewOn: string | null;
}

export type ProjectedVisitStatus = Exclude<VisitStatus, "proposed">;

export interface ProjectedVisit {
  readonly visitId: string;
  readonly direction: "outbound" | "inbound";
  readonly partnerIds: readonly string[];
  readonly leaderLevel: "head" | "deputy" | "official";
  readonly head: { readonly name: Bilingual; readonly title: Bilingual } | null;
  readonly purpose: string | null;
  readonly purposeStatement: Bilingual | null;
  readonly startDate: string;
  readonly endDate: string;
  readonly status: ProjectedVisitStatus;
  readonly estimateYen: number | null;
  readonly actualCostYen: number | null;
  /** When the event that set the status occurred: breaks ties between equal ranks. */
  readonly statusAt: string;
}

export interface ProjectedConference {
  readonly conferenceId: string;
  readonly name: Bilingual;
  readonly city: { readonly partnerId: string } | { readonly name: Bilingual };
  readonly startDate: string;
  readonly endDate: string;
  readonly role: "participate" | "host" | "bid";
  readonly bidDeadline: string | null;
}

export interface ProjectedTripPlan {
  readonly fiscalYear: number;
  readonly tripCap: number;
  readonly travelBudgetYen: number;
  readonly version: number;
}

export interface ProjectedProgramme {
  readonly programmeId: string;
  readonly partnerId: string;
  readonly name: Bilingual;
  readonly placementsPerYear: { readonly outbound: number; readonly inbound: number };
}

export interface ProjectedPlacement {
  readonly placementId: string;
  readonly programmeId: string;
  readonly partnerId: string;
  readonly direction: "outbound" | "inbound";
  readonly person: Bilingual;
  readonly host: Bilingual;
  readonly startDate: string;
  readonly endDate: string;
  readonly fiscalYear: number;
  readonly status: PlacementStatus;
  readonly version: number;
  readonly estimatedYen: number;
  readonly actualYen: number | null;
}

/** One programme's movements in one month of a fiscal year; a statement sums the months up to its date. */
export interface FundMonth {
  readonly fiscalYear: number;
  readonly programme: string;
  /** `YYYY-MM` of the journal's date (Asia/Tokyo). */
  readonly month: string;
  readonly appropriatedYen: number;
  /** Held less released from holds: what is still held, summed over the months. */
  readonly heldYen: number;
  readonly spentYen: number;
  readonly releasedYen: number;
}

export type FundMovement = Omit<FundMonth, "appropriatedYen" | "heldYen" | "spentYen" | "releasedYen"> &
  Partial<Pick<FundMonth, "appropriatedYen" | "heldYen" | "spentYen" | "releasedYen">>;

/** A notice that failed, until it is sent: the latest outcome wins. */
export interface ProjectedNotice {
  readonly noticeId: string;
  readonly kind: string;
  readonly subjectKind: "visit" | "placement" | "greeting";
  readonly subjectId: string;
  readonly partnerId: string;
  readonly status: "failed" | "sent";
  readonly at: string;
  readonly attempts: number;
  readonly error: string | null;
}

export function noticeAfter(
  current: ProjectedNotice | undefined,
  event: Detail<typeof NoticeFailed> | Detail<typeof NoticeSentAfterFailure>,
): ProjectedNotice | null {
  const failed = "failedAt" in event;
  const at = failed ? event.failedAt : event.sentAt;
  if (current && current.at >= at) return null;
  return {
    noticeId: event.noticeId,
    kind: event.kind,
    subjectKind: event.subjectKind,
    subjectId: event.subjectId,
    partnerId: event.partnerId,
    status: failed ? "failed" : "sent",
    at,
    attempts: event.attempts,
    error: failed ? event.error : null,
  };
}

export interface ProjectedReconciliation {
  readonly checkedAt: string;
  readonly mismatches: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Partners

export function emptyPartner(partnerId: string): ProjectedPartner {
  return {
    partnerId,
    name: { ja: partnerId, en: partnerId },
    country: "",
    kind: "",
    status: "",
    version: 0,
    relation: null,
    dormant: null,
    lastVisitOn: null,
  };
}

/** Registered or updated: the facts of the newest version win; what other events added stays. */
export function partnerFacts(
  current: ProjectedPartner | undefined,
  event: Detail<typeof PartnerRegistered> | Detail<typeof PartnerUpdated>,
): ProjectedPartner | null {
  const base = current ?? emptyPartner(event.partnerId);
  const version = event.version ?? 1;
  if (current && current.version >= version) return null;
  return { ...base, name: event.name, country: event.country, kind: event.kind, status: event.status, version };
}

/** A relation is established once; the earliest date wins should two ever be told. */
export function relationEstablished(
  current: ProjectedPartner | undefined,
  event: Detail<typeof RelationEstablished>,
): ProjectedPartner | null {
  const base = current ?? emptyPartner(event.partnerId);
  if (base.relation && base.relation.establishedOn <= event.establishedOn) return null;
  return { ...base, relation: { establishedOn: event.establishedOn, basis: event.basis } };
}

export function relationDormant(
  current: ProjectedPartner | undefined,
  event: Detail<typeof RelationDormant>,
): ProjectedPartner | null {
  const base = current ?? emptyPartner(event.partnerId);
  if (base.dormant && base.dormant.since >= event.since) return null;
  return { ...base, dormant: { since: event.since, lastExchangeOn: event.lastExchangeOn } };
}

export function visitWithPartner(current: ProjectedPartner | undefined, partnerId: string, endDate: string) {
  const base = current ?? emptyPartner(partnerId);
  if (base.lastVisitOn && base.lastVisitOn >= endDate) return null;
  return { ...base, lastVisitOn: endDate };
}

/** Dormant at a date: the latest review found it dormant by then, and no completed visit since. */
export function isDormant(partner: ProjectedPartner, on: string): boolean {
  const { dormant } = partner;
  if (!dormant || dormant.since > on) return false;
  return !partner.lastVisitOn || partner.lastVisitOn < dormant.since;
}

export function agreementOf(event: Detail<typeof AgreementConcluded>): ProjectedAgreement {
  return {
    partnerId: event.partnerId,
    agreementId: event.agreementId,
    type: event.type,
    title: event.title,
    signedOn: event.signedOn,
    reviewOn: event.reviewOn ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Visits and conferences

const VISIT_RANK: Readonly<Record<ProjectedVisitStatus, number>> = {
  approved: 1,
  confirmed: 2,
  completed: 3,
  cancelled: 3,
};

type VisitEvent =
  | { readonly status: "approved" | "confirmed" | "cancelled"; readonly detail: Detail<typeof VisitApproved> }
  | { readonly status: "completed"; readonly detail: Detail<typeof VisitCompleted> };

/**
 * A visit's life cycle only moves forward (approved → confirmed → completed or cancelled), so the event of the
 * higher rank wins whatever order they arrive in; facts only one kind of event carries (the head, the purpose,
 * the actual cost) are merged from every event.
 */
export function visitAfter(current: ProjectedVisit | undefined, event: VisitEvent): ProjectedVisit | null {
  const { detail, status } = event;
  const at = detail.metadata.occurredAt;
  const newer =
    !current ||
    VISIT_RANK[status] > VISIT_RANK[current.status] ||
    (VISIT_RANK[status] === VISIT_RANK[current.status] && at > current.statusAt);
  const carriesHead = "delegationHead" in detail;
  const incoming: ProjectedVisit = {
    visitId: detail.visitId,
    direction: detail.direction,
    partnerIds: detail.partnerIds,
    leaderLevel: carriesHead ? detail.delegationHead.level : (detail as Detail<typeof VisitCompleted>).leaderLevel,
    head: carriesHead ? { name: detail.delegationHead.name, title: detail.delegationHead.title } : null,
    purpose: carriesHead ? detail.purpose : null,
    purposeStatement: carriesHead ? detail.purposeStatement : null,
    startDate: detail.startDate,
    endDate: detail.endDate,
    status,
    estimateYen: "estimateYen" in detail ? (detail.estimateYen ?? null) : null,
    actualCostYen: "actualCostYen" in detail ? (detail.actualCostYen ?? null) : null,
    statusAt: at,
  };
  if (!current) return incoming;
  const [winner, other] = newer ? [incoming, current] : [current, incoming];
  const merged: ProjectedVisit = {
    ...winner,
    head: winner.head ?? other.head,
    purpose: winner.purpose ?? other.purpose,
    purposeStatement: winner.purposeStatement ?? other.purposeStatement,
    estimateYen: winner.estimateYen ?? other.estimateYen,
    actualCostYen: winner.actualCostYen ?? other.actualCostYen,
  };
  return sameJson(merged, current) ? null : merged;
}

export function conferenceOf(event: Detail<typeof ConferenceRegistered>): ProjectedConference {
  return {
    conferenceId: event.conferenceId,
    name: event.name,
    city: event.city,
    startDate: event.startDate,
    endDate: event.endDate,
    role: event.role,
    bidDeadline: event.bidDeadline,
  };
}

export function tripPlanAfter(
  current: ProjectedTripPlan | undefined,
  event: Detail<typeof TripPlanSet>,
): ProjectedTripPlan | null {
  if (current && current.version >= event.version) return null;
  return {
    fiscalYear: event.fiscalYear,
    tripCap: event.tripCap,
    travelBudgetYen: event.travelBudgetYen,
    version: event.version,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Staff exchange

export function programmeOf(event: Detail<typeof ExchangeProgrammeCreated>): ProjectedProgramme {
  return {
    programmeId: event.programmeId,
    partnerId: event.partnerId,
    name: event.name,
    placementsPerYear: event.placementsPerYear,
  };
}

/** Every placement event carries the whole public placement with its version: the highest version wins. */
export function placementAfter(
  current: ProjectedPlacement | undefined,
  event: Detail<typeof PlacementProposed> & { readonly actualYen?: number },
): ProjectedPlacement | null {
  if (current && current.version >= event.version) return null;
  return {
    placementId: event.placementId,
    programmeId: event.programmeId,
    partnerId: event.partnerId,
    direction: event.direction,
    person: event.person.name,
    host: {
      ja: `${event.hostOrganisation.ja} ${event.hostDepartment.ja}`,
      en: `${event.hostOrganisation.en}, ${event.hostDepartment.en}`,
    },
    startDate: event.startDate,
    endDate: event.endDate,
    fiscalYear: event.fiscalYear,
    status: event.status,
    version: event.version,
    estimatedYen: event.estimatedYen,
    actualYen: event.actualYen ?? current?.actualYen ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The fund

const APPROPRIATION_ACCOUNT = /^fy(\d{4}):([a-z0-9]+(?:-[a-z0-9]+)*):appropriation$/;

/**
 * What a journal does to the programmes' appropriations, read from its lines on the appropriation accounts (the
 * budget): an appropriation credits it; a hold debits it pending, and its release (the hold's own lines, voiding the
 * pending transfer, as in TigerBeetle) takes that off again; a posting or an expense debits it; a reversal undoes a posted journal (its credit gives spending back, its debit takes an
 * appropriation back). Capital, income and closing journals do not touch a year's budget figures.
 */
export function fundMovementsOf(journal: Detail<typeof FundJournalPosted>): FundMovement[] {
  const month = journal.date.slice(0, 7);
  const movements: FundMovement[] = [];
  for (const line of journal.lines) {
    const match = APPROPRIATION_ACCOUNT.exec(line.account);
    if (!match) continue;
    const fiscalYear = Number(match[1]);
    const programme = match[2] as string;
    const signed = line.side === "credit" ? line.amountYen : -line.amountYen;
    const at = { fiscalYear, programme, month };
    switch (journal.kind) {
      case "appropriation":
        movements.push({ ...at, appropriatedYen: signed });
        break;
      case "hold":
        movements.push({ ...at, heldYen: -signed });
        break;
      case "release":
        // A release voids its hold's pending transfer: the same lines as the hold, taking the amount off.
        movements.push({ ...at, heldYen: signed });
        break;
      case "posting":
      case "expense":
        movements.push({ ...at, spentYen: -signed });
        break;
      case "reversal":
        movements.push(line.side === "credit" ? { ...at, spentYen: -signed } : { ...at, appropriatedYen: signed });
        break;
      default:
        break;
    }
  }
  return movements;
}

/** What a hold gave back to the budget unspent: the part of a posting not spent, or a voided hold. */
export function releaseOf(event: Detail<typeof FundHoldPosted> | Detail<typeof FundHoldVoided>): FundMovement | null {
  if (event.releasedYen === 0) return null;
  return {
    fiscalYear: event.fiscalYear,
    programme: event.programme,
    month: tokyoDate(new Date(event.metadata.occurredAt)).slice(0, 7),
    releasedYen: event.releasedYen,
  };
}

export function reconciliationOf(
  event: Detail<typeof LedgerReconciliationFailed> | Detail<typeof LedgerReconciled>,
): ProjectedReconciliation {
  return { checkedAt: event.checkedAt, mismatches: "mismatches" in event ? event.mismatches.length : 0 };
}

/** The latest run wins. */
export function reconciliationAfter(
  current: ProjectedReconciliation | undefined,
  next: ProjectedReconciliation,
): ProjectedReconciliation | null {
  return current && current.checkedAt >= next.checkedAt ? null : next;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
