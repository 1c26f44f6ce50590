import {
  AgreementConcluded,
  ConferenceRegistered,
  ExchangeProgrammeCreated,
  FundHoldPosted,
  FundHoldVoided,
  FundJournalPosted,
  fiscalYearOf,
  LedgerReconciled,
  LedgerReconciliationFailed,
  NoticeFailed,
  NoticeSentAfterFailure,
  PartnerRegistered,
  PartnerUpdated,
  PlacementApproved,
  PlacementCancelled,
  PlacementCompleted,
  PlacementFunded,
  PlacementFundingRejected,
  PlacementProposed,
  PlacementStarted,
  RelationDormant,
  RelationEstablished,
  TripPlanSet,
  tokyoDate,
  VisitApproved,
  VisitCancelled,
  VisitCompleted,
  VisitConfirmed,
} from "@cdp/contracts";
import type * as z from "zod/mini";
import type { ProjectionReader } from "./progress-report.ts";
import {
  agreementOf,
  conferenceOf,
  type FundMonth,
  type FundMovement,
  fundMovementsOf,
  noticeAfter,
  type ProjectedAgreement,
  type ProjectedConference,
  type ProjectedNotice,
  type ProjectedPartner,
  type ProjectedPlacement,
  type ProjectedProgramme,
  type ProjectedReconciliation,
  type ProjectedTripPlan,
  type ProjectedVisit,
  partnerFacts,
  placementAfter,
  programmeOf,
  reconciliationAfter,
  reconciliationOf,
  relationDormant,
  relationEstablished,
  releaseOf,
  tripPlanAfter,
  visitAfter,
  visitWithPartner,
} from "./projections.ts";

/**
 * What each projected event changes, as data: the store applies the changes to the table one event at a time, and
 * `projectAll` applies them in memory to a whole history. One definition, so a rebuild and the live projection
 * cannot differ. Pure.
 */

/** Where a projected entity lives, by kind; placements are also filed by fiscal year (`fiscalYear`). */
export type Slot =
  | { readonly kind: "partner"; readonly id: string }
  | { readonly kind: "agreement"; readonly id: string }
  | { readonly kind: "programme"; readonly id: string }
  | { readonly kind: "trip-plan"; readonly id: string }
  | { readonly kind: "reconciliation"; readonly id: "latest" }
  | { readonly kind: "visit"; readonly id: string; readonly fiscalYear: number }
  | { readonly kind: "conference"; readonly id: string; readonly fiscalYear: number }
  | { readonly kind: "placement"; readonly id: string }
  | { readonly kind: "notice"; readonly id: string };

export interface EntityChange<T = unknown> {
  readonly type: "entity";
  readonly slot: Slot;
  /** The next state from the current one; null when the event changes nothing (older, or seen). */
  readonly next: (current: T | undefined) => T | null;
}

export interface FundChange {
  readonly type: "fund";
  /** Added once per event: its own id. */
  readonly eventId: string;
  readonly movements: readonly FundMovement[];
}

export type Change = EntityChange | FundChange;

type AnyContract = { readonly source: string; readonly detailType: string; readonly detail: z.ZodMiniType };
type Detail<C extends AnyContract> = z.output<C["detail"]>;

function entity<T>(slot: Slot, next: (current: T | undefined) => T | null): Change {
  return { type: "entity", slot, next: next as EntityChange["next"] };
}

const partner = (id: string, next: (current: ProjectedPartner | undefined) => ProjectedPartner | null) =>
  entity<ProjectedPartner>({ kind: "partner", id }, next);
/** Facts that never change once told: the first telling stands. */
const once = <T>(slot: Slot, state: T) => entity<T>(slot, (current) => (current ? null : state));

const visit = (status: "approved" | "confirmed" | "cancelled") => (detail: Detail<typeof VisitApproved>) => [
  entity<ProjectedVisit>({ kind: "visit", id: detail.visitId, fiscalYear: fiscalYearOf(detail.startDate) }, (current) =>
    visitAfter(current, { status, detail }),
  ),
];

const placement = (detail: Parameters<typeof placementAfter>[1]) => [
  entity<ProjectedPlacement>({ kind: "placement", id: detail.placementId }, (current) =>
    placementAfter(current, detail),
  ),
];

const reconciliation = (detail: Parameters<typeof reconciliationOf>[0]) => [
  entity<ProjectedReconciliation>({ kind: "reconciliation", id: "latest" }, (current) =>
    reconciliationAfter(current, reconciliationOf(detail)),
  ),
];

const released = (detail: Detail<typeof FundHoldPosted> | Detail<typeof FundHoldVoided>): Change[] => {
  const release = releaseOf(detail);
  return release ? [{ type: "fund", eventId: detail.metadata.eventId, movements: [release] }] : [];
};

interface Projection {
  readonly contract: AnyContract;
  readonly changes: (detail: never) => Change[];
}

function on<C extends AnyContract>(contract: C, changes: (detail: Detail<C>) => Change[]): Projection {
  return { contract, changes: changes as (detail: never) => Change[] };
}

/** Every projected event (the manifest subscribes to each) and its changes. */
export const PROJECTIONS: readonly Projection[] = [
  on(PartnerRegistered, (d) => [partner(d.partnerId, (current) => partnerFacts(current, d))]),
  on(PartnerUpdated, (d) => [partner(d.partnerId, (current) => partnerFacts(current, d))]),
  on(RelationEstablished, (d) => [partner(d.partnerId, (current) => relationEstablished(current, d))]),
  on(RelationDormant, (d) => [partner(d.partnerId, (current) => relationDormant(current, d))]),
  on(AgreementConcluded, (d) => [
    once<ProjectedAgreement>({ kind: "agreement", id: `${d.partnerId}#${d.agreementId}` }, agreementOf(d)),
  ]),
  on(VisitApproved, visit("approved")),
  on(VisitConfirmed, visit("confirmed")),
  on(VisitCancelled, visit("cancelled")),
  on(VisitCompleted, (d) => [
    entity<ProjectedVisit>({ kind: "visit", id: d.visitId, fiscalYear: fiscalYearOf(d.startDate) }, (current) =>
      visitAfter(current, { status: "completed", detail: d }),
    ),
    // A completed visit is an exchange with each partner: it ends a dormancy found before it.
    ...d.partnerIds.map((partnerId) =>
      partner(partnerId, (current) => visitWithPartner(current, partnerId, d.endDate)),
    ),
  ]),
  on(ConferenceRegistered, (d) => [
    once<ProjectedConference>(
      { kind: "conference", id: d.conferenceId, fiscalYear: fiscalYearOf(d.startDate) },
      conferenceOf(d),
    ),
  ]),
  on(TripPlanSet, (d) => [
    entity<ProjectedTripPlan>({ kind: "trip-plan", id: String(d.fiscalYear) }, (current) => tripPlanAfter(current, d)),
  ]),
  on(ExchangeProgrammeCreated, (d) => [
    once<ProjectedProgramme>({ kind: "programme", id: d.programmeId }, programmeOf(d)),
  ]),
  on(PlacementProposed, placement),
  on(PlacementApproved, placement),
  on(PlacementFunded, placement),
  on(PlacementFundingRejected, placement),
  on(PlacementStarted, placement),
  on(PlacementCompleted, (d) => placement({ ...d, actualYen: d.actualYen })),
  on(PlacementCancelled, (d) => placement({ ...d, actualYen: d.incurredYen })),
  on(FundJournalPosted, (d) => [{ type: "fund", eventId: d.metadata.eventId, movements: fundMovementsOf(d) }]),
  on(FundHoldPosted, released),
  on(FundHoldVoided, released),
  on(LedgerReconciled, reconciliation),
  on(LedgerReconciliationFailed, reconciliation),
  on(NoticeFailed, (d) => [
    entity<ProjectedNotice>({ kind: "notice", id: d.noticeId }, (current) => noticeAfter(current, d)),
  ]),
  on(NoticeSentAfterFailure, (d) => [
    entity<ProjectedNotice>({ kind: "notice", id: d.noticeId }, (current) => noticeAfter(current, d)),
  ]),
];

const byDetailType = new Map(PROJECTIONS.map((projection) => [projection.contract.detailType, projection]));

/** The changes an event makes, its detail already checked against its contract. */
export function changesOf(detailType: string, detail: unknown): Change[] {
  const projection = byDetailType.get(detailType);
  if (!projection) throw new Error(`the reports do not project ${detailType}`);
  return projection.changes(detail as never);
}

/** Every projection, in memory: what a rebuild from the bus's history gives. */
export interface ProjectionSet {
  readonly entities: ReadonlyMap<string, { readonly slot: Slot; readonly state: unknown }>;
  readonly fundMonths: ReadonlyMap<string, FundMonth>;
}

export function slotId(slot: Slot): string {
  return `${slot.kind}#${slot.id}`;
}

/**
 * Projects a whole history in memory, each event once (by its own id) whatever the order or the duplicates:
 * the rebuild a replay of the bus's archive makes, and the benchmark's projections.
 */
export function projectAll(events: Iterable<{ readonly detailType: string; readonly detail: unknown }>): ProjectionSet {
  const entities = new Map<string, { slot: Slot; state: unknown }>();
  const fundMonths = new Map<string, FundMonth>();
  const added = new Set<string>();
  for (const { detailType, detail } of events) {
    for (const change of changesOf(detailType, detail)) {
      if (change.type === "entity") {
        const id = slotId(change.slot);
        const next = change.next(entities.get(id)?.state);
        if (next !== null) entities.set(id, { slot: change.slot, state: next });
        continue;
      }
      if (added.has(change.eventId)) continue;
      added.add(change.eventId);
      for (const movement of change.movements) {
        const id = `${movement.fiscalYear}#${movement.programme}#${movement.month}`;
        const month = fundMonths.get(id) ?? {
          fiscalYear: movement.fiscalYear,
          programme: movement.programme,
          month: movement.month,
          appropriatedYen: 0,
          heldYen: 0,
          spentYen: 0,
          releasedYen: 0,
        };
        fundMonths.set(id, {
          ...month,
          appropriatedYen: month.appropriatedYen + (movement.appropriatedYen ?? 0),
          heldYen: month.heldYen + (movement.heldYen ?? 0),
          spentYen: month.spentYen + (movement.spentYen ?? 0),
          releasedYen: month.releasedYen + (movement.releasedYen ?? 0),
        });
      }
    }
  }
  return { entities, fundMonths };
}

/** Reads a projection set as the store reads the table: the report built from either is the same. */
export function readerOf(set: ProjectionSet): ProjectionReader {
  const of = <T>(kind: Slot["kind"], keep: (slot: Slot, state: T) => boolean = () => true): T[] =>
    [...set.entities.values()]
      .filter(({ slot, state }) => slot.kind === kind && keep(slot, state as T))
      .map(({ state }) => state as T);
  const inYears = (years: readonly number[]) => (slot: Slot) => "fiscalYear" in slot && years.includes(slot.fiscalYear);
  return {
    partners: async () => of<ProjectedPartner>("partner"),
    agreements: async () => of<ProjectedAgreement>("agreement"),
    programmes: async () => of<ProjectedProgramme>("programme"),
    visits: async (years) => of<ProjectedVisit>("visit", inYears(years)),
    conferences: async (years) => of<ProjectedConference>("conference", inYears(years)),
    placements: async (fiscalYear) =>
      of<ProjectedPlacement>("placement", (_, state) => state.fiscalYear === fiscalYear),
    fundMonths: async (fiscalYear) => [...set.fundMonths.values()].filter((month) => month.fiscalYear === fiscalYear),
    tripPlan: async (fiscalYear) => of<ProjectedTripPlan>("trip-plan").find((plan) => plan.fiscalYear === fiscalYear),
    reconciliation: async () => of<ProjectedReconciliation>("reconciliation")[0],
    failedNotices: async (years) =>
      of<ProjectedNotice>(
        "notice",
        (_, notice) => notice.status === "failed" && years.includes(fiscalYearOf(tokyoDate(new Date(notice.at)))),
      ),
  };
}
