import { VisitApproved, VisitCancelled, VisitCompleted, VisitConfirmed } from "@cdp/contracts";
import {
  type Decided,
  type Decision,
  decided,
  event,
  type FieldError,
  type PendingEvent,
  type Refusal,
  refuse,
  refused,
} from "@cdp/lambda-kit/decision";
import { engagementDays, governorClash, governorClashes, needsGovernor } from "./clash.ts";
import { editRefusal, nextStatus } from "./lifecycle.ts";
import {
  type DelegatePersonalData,
  MAX_VISIT_DAYS,
  type MemberInput,
  type Visit,
  type VisitInput,
  type VisitPatch,
  type VisitStatus,
} from "./model.ts";
import { estimateOf } from "./plan.ts";

/**
 * Every change of a visit, decided without I/O: given the visit as read (and what else the store
 * loaded for the rule at hand) and the command, the next visit, its events, its audit entry and what
 * must still hold when it is written, or a refusal.
 */

/** What a visit decision writes besides the visit, and what must hold when it does. */
export interface VisitWrites {
  /** The governor's calendar days to take: each must be free, or already this visit's, when written. */
  readonly daysToTake: readonly string[];
  /** The governor's calendar days to give back. */
  readonly daysToRelease: readonly string[];
  /** The delegates' personal data by member id when the members are (re)written (kept apart); else null. */
  readonly personal: Readonly<Record<string, DelegatePersonalData>> | null;
  /** The status the decision was made on (null for a new visit): a refusal found on writing names it. */
  readonly statusRead: VisitStatus | null;
}
export type VisitDecision = Decision<Visit, VisitWrites>;
export type VisitDecided = Decided<Visit, VisitWrites>;

/** When the decision is made, and where new ids come from (the caller's: decisions stay repeatable in tests). */
export interface Stamp {
  readonly now: Date;
  readonly newId: () => string;
}

interface VisitCommand {
  readonly visitId: string;
  /** The version the caller read (If-Match); a transition without one acts on the current version. */
  readonly expectedVersion?: number | undefined;
}
export type ApproveCommand = VisitCommand & { readonly action: "approve" };
export type ConfirmCommand = VisitCommand & { readonly action: "confirm" };
export type CompleteCommand = VisitCommand & { readonly action: "complete"; readonly actualCostYen: number };
export type CancelCommand = VisitCommand & { readonly action: "cancel"; readonly reason: string };
export type TransitionCommand = ApproveCommand | ConfirmCommand | CompleteCommand | CancelCommand;
export type EditCommand = VisitCommand & { readonly patch: VisitPatch; readonly expectedVersion: number };

const NO_DAYS = { daysToTake: [], daysToRelease: [] } as const;

function costEstimateOf(input: VisitInput["costEstimate"]): Visit["costEstimate"] {
  return { ...input, totalYen: input.breakdown.reduce((sum, line) => sum + line.amountYen, 0) };
}

/** Members get ids; their personal data is split off to be stored apart. */
function splitMembers(
  members: readonly MemberInput[],
  newId: () => string,
): { members: Visit["members"]; personal: Record<string, DelegatePersonalData> } {
  const personal: Record<string, DelegatePersonalData> = {};
  const publicMembers = members.map(({ personal: data, ...member }) => {
    const id = newId();
    if (data) personal[id] = data;
    return { id, ...member };
  });
  return { members: publicMembers, personal };
}

/** What every event of a visit tells about it: never the members, never personal data. */
function publicVisit(visit: Visit) {
  return {
    visitId: visit.id,
    direction: visit.direction,
    partnerIds: visit.partnerIds,
    delegationHead: visit.delegationHead,
    purpose: visit.purpose,
    purposeStatement: visit.purposeStatement,
    startDate: visit.startDate,
    endDate: visit.endDate,
    estimateYen: estimateOf(visit.costEstimate),
  };
}

export function proposeVisit(input: VisitInput, stamp: Stamp): VisitDecided {
  const now = stamp.now.toISOString();
  const { members, personal } = splitMembers(input.members, stamp.newId);
  const visit: Visit = {
    id: stamp.newId(),
    direction: input.direction,
    partnerIds: input.partnerIds,
    delegationHead: input.delegationHead,
    purpose: input.purpose,
    purposeStatement: input.purposeStatement,
    priority: input.priority,
    startDate: input.startDate,
    endDate: input.endDate,
    itinerary: input.itinerary,
    members,
    costEstimate: costEstimateOf(input.costEstimate),
    actualCostYen: null,
    conferenceId: input.conferenceId ?? null,
    status: "proposed",
    cancellationReason: null,
    governorEngagement: needsGovernor(input),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return decided({
    state: visit,
    expectedVersion: null,
    events: [],
    audit: { entity: `visit#${visit.id}`, action: "visit.proposed", beforeVersion: null, afterVersion: 1 },
    ...NO_DAYS,
    personal,
    statusRead: null,
  });
}

/** The checks a patch could not make alone: the merged visit must hold together. */
function mergedVisitErrors(visit: Visit): FieldError[] {
  const errors: FieldError[] = [];
  if (visit.endDate < visit.startDate) errors.push({ path: "body.endDate", message: "must not be before startDate" });
  else if (engagementDays(visit).length > MAX_VISIT_DAYS) {
    errors.push({ path: "body.endDate", message: `a visit lasts at most ${MAX_VISIT_DAYS} days` });
  }
  if (visit.itinerary.some((e) => e.date < visit.startDate || e.date > visit.endDate)) {
    errors.push({ path: "body.itinerary", message: "every itinerary date must fall within the visit" });
  }
  return errors;
}

/** Changes what the patch names: dates, partners, head and costs only while proposed (see FIELDS_FIXED_ON_APPROVAL). */
export function editVisit(current: Visit | undefined, command: EditCommand, stamp: Stamp): VisitDecided {
  if (!current) return refused(refuse.notFound(`Visit ${command.visitId}`));
  if (current.version !== command.expectedVersion) return refused(refuse.stale(current.version));
  const notAllowed = editRefusal(current, Object.keys(command.patch));
  if (notAllowed) return refused(notAllowed);

  const { members: memberInputs, costEstimate, conferenceId, ...rest } = command.patch;
  const split = memberInputs ? splitMembers(memberInputs, stamp.newId) : undefined;
  const merged: Visit = {
    ...current,
    ...rest,
    ...(costEstimate && { costEstimate: costEstimateOf(costEstimate) }),
    ...(conferenceId !== undefined && { conferenceId }),
    ...(split && { members: split.members }),
    version: current.version + 1,
    updatedAt: stamp.now.toISOString(),
  };
  const updated: Visit = { ...merged, governorEngagement: needsGovernor(merged) };
  const errors = mergedVisitErrors(updated);
  if (errors.length > 0) return refused(refuse.invalid(errors));
  return decided({
    state: updated,
    expectedVersion: current.version,
    events: [],
    audit: {
      entity: `visit#${current.id}`,
      action: "visit.edited",
      beforeVersion: current.version,
      afterVersion: updated.version,
    },
    ...NO_DAYS,
    personal: split ? split.personal : null,
    statusRead: current.status,
  });
}

/** The checks every transition starts with: the visit exists, is the version read, and may take the step. */
function stepOf(
  current: Visit | undefined,
  command: TransitionCommand,
): { ok: true; visit: Visit; status: VisitStatus } | { ok: false; refusal: Refusal } {
  if (!current) return refused(refuse.notFound(`Visit ${command.visitId}`));
  if (command.expectedVersion !== undefined && current.version !== command.expectedVersion) {
    return refused(refuse.stale(current.version));
  }
  const next = nextStatus(current, command.action);
  return next.ok ? { ok: true, visit: current, status: next.status } : next;
}

function transitioned(
  current: Visit,
  changes: Partial<Visit> & { status: VisitStatus },
  action: TransitionCommand["action"],
  now: Date,
  effects: { events: readonly PendingEvent[]; daysToTake?: readonly string[]; daysToRelease?: readonly string[] },
): VisitDecided {
  const updated: Visit = { ...current, ...changes, version: current.version + 1, updatedAt: now.toISOString() };
  return decided({
    state: updated,
    expectedVersion: current.version,
    events: effects.events,
    audit: {
      entity: `visit#${current.id}`,
      action: `visit.${action}`,
      beforeVersion: current.version,
      afterVersion: updated.version,
    },
    daysToTake: effects.daysToTake ?? [],
    daysToRelease: effects.daysToRelease ?? [],
    personal: null,
    statusRead: current.status,
  });
}

/**
 * Approves a proposed visit: an outbound one needs two vendors' quotes; a governor engagement takes
 * the governor's days, which none of `governorVisitsNearby` (the approved or confirmed engagements the
 * store found around it) may share. The days are taken on condition, so a race is refused on writing.
 */
export function approveVisit(
  current: Visit | undefined,
  command: ApproveCommand,
  governorVisitsNearby: readonly Visit[],
  now: Date,
): VisitDecided {
  const step = stepOf(current, command);
  if (!step.ok) return refused(step.refusal);
  const { visit } = step;
  const clashingIds = governorClashes(visit, governorVisitsNearby).map((other) => other.id);
  if (clashingIds.length > 0) return refused(governorClash(visit, clashingIds));
  return transitioned(visit, { status: step.status }, "approve", now, {
    events: [event(VisitApproved, publicVisit(visit))],
    daysToTake: visit.governorEngagement ? engagementDays(visit) : [],
  });
}

/** Confirms an approved visit: partners are told of it. */
export function confirmVisit(current: Visit | undefined, command: ConfirmCommand, now: Date): VisitDecided {
  const step = stepOf(current, command);
  if (!step.ok) return refused(step.refusal);
  return transitioned(step.visit, { status: step.status }, "confirm", now, {
    events: [event(VisitConfirmed, publicVisit(step.visit))],
  });
}

/** Completes a confirmed visit with what it cost; the City Registry hears of it (reciprocal visits). */
export function completeVisit(current: Visit | undefined, command: CompleteCommand, now: Date): VisitDecided {
  const step = stepOf(current, command);
  if (!step.ok) return refused(step.refusal);
  const { visit } = step;
  return transitioned(visit, { status: step.status, actualCostYen: command.actualCostYen }, "complete", now, {
    events: [
      event(VisitCompleted, {
        visitId: visit.id,
        direction: visit.direction,
        partnerIds: visit.partnerIds,
        leaderLevel: visit.delegationHead.level,
        startDate: visit.startDate,
        endDate: visit.endDate,
        actualCostYen: command.actualCostYen,
      }),
    ],
  });
}

/** Only approved and confirmed visits hold the governor's days; cancelling one gives them back. */
const HOLDS_DAYS: readonly VisitStatus[] = ["approved", "confirmed"];

/** Cancels a visit not yet completed, with its reason; the event says what it was before. */
export function cancelVisit(current: Visit | undefined, command: CancelCommand, now: Date): VisitDecided {
  const step = stepOf(current, command);
  if (!step.ok) return refused(step.refusal);
  const { visit } = step;
  // Completed and cancelled visits were refused above: what is left is a state an event may name.
  const previousStatus = visit.status as "proposed" | "approved" | "confirmed";
  return transitioned(visit, { status: step.status, cancellationReason: command.reason }, "cancel", now, {
    events: [event(VisitCancelled, { ...publicVisit(visit), reason: command.reason, previousStatus })],
    daysToRelease: visit.governorEngagement && HOLDS_DAYS.includes(visit.status) ? engagementDays(visit) : [],
  });
}

/** The transition a command names. `governorVisitsNearby` matters to an approval only. */
export function decideTransition(
  current: Visit | undefined,
  command: TransitionCommand,
  governorVisitsNearby: readonly Visit[],
  now: Date,
): VisitDecided {
  switch (command.action) {
    case "approve":
      return approveVisit(current, command, governorVisitsNearby, now);
    case "confirm":
      return confirmVisit(current, command, now);
    case "complete":
      return completeVisit(current, command, now);
    case "cancel":
      return cancelVisit(current, command, now);
  }
}

/** The refusal when a day the decision takes turned out, on writing, to be another visit's. */
export function dayTakenRefusal(decision: VisitDecision, holderVisitId: string): Refusal {
  return governorClash({ ...decision.state, status: decision.statusRead ?? decision.state.status }, [holderVisitId]);
}
