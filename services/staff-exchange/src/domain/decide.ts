import {
  ExchangeProgrammeCreated,
  FundHoldPostRequested,
  FundHoldRequested,
  FundHoldVoidRequested,
  PlacementApproved,
  PlacementCancelled,
  PlacementCompleted,
  PlacementFunded,
  PlacementFundingRejected,
  PlacementProposed,
  PlacementStarted,
} from "@cdp/contracts";
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
import {
  type CostBreakdown,
  DEFAULT_FUND_PROGRAMME,
  DEFAULT_SETTLEMENT_DAYS,
  type PersonalData,
  type PersonTerm,
  type Placement,
  type PlacementHold,
  type PlacementInput,
  type PlacementPatch,
  type PlacementStatus,
  type Programme,
  type ProgrammeInput,
  type QuotaUse,
} from "./model.ts";
import {
  allocatePosting,
  costsOf,
  countsAgainstQuota,
  estimateFromNorms,
  heldYen,
  holdExpiryOf,
  holdReferenceOf,
  holdsLimitRefusal,
  overlapRefusal,
  pendingHolds,
  placedHolds,
  quotaOf,
  quotaRefusal,
  quotaYearOf,
  RULES,
  stepRefusal,
  termDays,
  termErrors,
} from "./placement-rules.ts";

/**
 * Every change of a programme or a placement, decided without I/O: given what the store loaded and the
 * command, the next state, its events (the ledger's requests among them), its audit entry and what must
 * still hold when it is written, or a refusal.
 */

/** The service's name as the ledger knows its requests. */
export const REQUESTER = "staff-exchange";

export interface Stamp {
  readonly now: Date;
  /** The calendar date in Tokyo at `now`. */
  readonly today: string;
  readonly newId: () => string;
}

/** The person's lock: every live placement's term, on the version read (null: none yet). */
export interface PersonTerms {
  readonly terms: readonly PersonTerm[];
  readonly version: number | null;
}

export interface PlacementWrites {
  /** The person's personal data when given (kept apart); null leaves it as it is. */
  readonly personal: PersonalData | null;
  /** The person's terms after the change, written on the version read; null when they do not change. */
  readonly personTerms: {
    readonly staffId: string;
    readonly terms: PersonTerm[];
    readonly expectedVersion: number | null;
  } | null;
  /**
   * The quota to take (positive) or give back (negative); taking is written on the condition that it stays within
   * the limit, and refused with `quotaTakenRefusal` when another approval took the last of it meanwhile.
   */
  readonly quota: {
    readonly fiscalYear: number;
    readonly direction: Placement["direction"];
    readonly delta: QuotaUse;
    readonly limit: QuotaUse;
  } | null;
  readonly statusRead: PlacementStatus | null;
}
export type PlacementDecision = Decision<Placement, PlacementWrites>;
export type PlacementDecided = Decided<Placement, PlacementWrites>;
export type ProgrammeDecided = Decided<Programme>;

const NO_WRITES = { personal: null, personTerms: null, quota: null } as const;

const audit = (placement: Placement, action: string, beforeVersion: number | null) => ({
  entity: `placement#${placement.id}`,
  action: `placement.${action}`,
  beforeVersion,
  afterVersion: placement.version,
});

export function createProgramme(
  input: ProgrammeInput,
  existing: Programme | undefined,
  known: { partner: boolean; agreement: boolean | undefined },
  now: Date,
): ProgrammeDecided {
  if (existing) {
    return refused(refuse.conflict(`Partner ${input.partnerId} has an exchange programme already`, "exists"));
  }
  const errors: FieldError[] = [];
  if (!known.partner) errors.push({ path: "body.partnerId", message: "no such partner in the registry" });
  if (input.agreementId !== undefined && known.agreement === false) {
    errors.push({ path: "body.agreementId", message: `no agreement with this id for partner ${input.partnerId}` });
  }
  if (input.minDays > input.maxDays) errors.push({ path: "body.maxDays", message: "must not be below minDays" });
  if (errors.length > 0) return refused(refuse.invalid(errors));
  const at = now.toISOString();
  const programme: Programme = {
    id: input.partnerId,
    partnerId: input.partnerId,
    agreementId: input.agreementId ?? null,
    name: input.name,
    placementsPerYear: input.placementsPerYear,
    totalDaysPerYear: input.totalDaysPerYear,
    minDays: input.minDays,
    maxDays: input.maxDays,
    costNorms: input.costNorms,
    fundProgramme: input.fundProgramme ?? DEFAULT_FUND_PROGRAMME,
    settlementDays: input.settlementDays ?? DEFAULT_SETTLEMENT_DAYS,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const {
    costNorms: _n,
    fundProgramme: _f,
    settlementDays: _s,
    version: _v,
    createdAt: _c,
    updatedAt: _u,
    ...facts
  } = programme;
  return decided({
    state: programme,
    expectedVersion: null,
    events: [event(ExchangeProgrammeCreated, { ...facts, programmeId: programme.id, agreementId: input.agreementId })],
    audit: { entity: `programme#${programme.id}`, action: "programme.created", beforeVersion: null, afterVersion: 1 },
  });
}

/** What every placement event tells: never the personal data. */
export function publicPlacement(placement: Placement) {
  return {
    placementId: placement.id,
    programmeId: placement.programmeId,
    partnerId: placement.partnerId,
    direction: placement.direction,
    person: {
      name: placement.person.name,
      ...(placement.person.position && { position: placement.person.position }),
    },
    hostOrganisation: placement.hostOrganisation,
    hostDepartment: placement.hostDepartment,
    startDate: placement.startDate,
    endDate: placement.endDate,
    fiscalYear: placement.fiscalYear,
    purpose: placement.purpose,
    fields: placement.fields,
    estimatedYen: placement.estimate.totalYen,
    status: placement.status,
    version: placement.version,
  };
}

const termOf = (placement: Placement): PersonTerm => ({
  placementId: placement.id,
  startDate: placement.startDate,
  endDate: placement.endDate,
});

export function proposePlacement(
  input: PlacementInput,
  programme: Programme | undefined,
  person: PersonTerms,
  stamp: Stamp,
): PlacementDecided {
  if (!programme) {
    return refused(refuse.invalid([{ path: "body.programmeId", message: "no such exchange programme" }]));
  }
  const id = stamp.newId();
  const days = input.endDate >= input.startDate ? termDays(input.startDate, input.endDate) : 0;
  const estimate = costsOf(input.estimate ?? estimateFromNorms(programme.costNorms, days));
  const errors = termErrors(input, programme, estimate, "body.estimate");
  if (errors.length > 0) return refused(refuse.invalid(errors));
  const overlap = overlapRefusal(id, input, person.terms);
  if (overlap) return refused(overlap);
  const at = stamp.now.toISOString();
  const placement: Placement = {
    id,
    programmeId: programme.id,
    partnerId: programme.partnerId,
    direction: input.direction,
    person: input.person,
    hostOrganisation: input.hostOrganisation,
    hostDepartment: input.hostDepartment,
    startDate: input.startDate,
    endDate: input.endDate,
    days,
    fiscalYear: quotaYearOf(input.startDate),
    purpose: input.purpose,
    fields: input.fields,
    estimate,
    actual: null,
    status: "applied",
    holds: [],
    fundingRejection: null,
    fundingOverdueSince: null,
    approvedAt: null,
    cancellation: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return decided({
    state: placement,
    expectedVersion: null,
    events: [event(PlacementProposed, publicPlacement(placement))],
    audit: audit(placement, "proposed", null),
    personal: input.personal ?? null,
    personTerms: {
      staffId: input.person.staffId,
      terms: [...person.terms, termOf(placement)],
      expectedVersion: person.version,
    },
    quota: null,
    statusRead: null,
  });
}

function staleRefusal(placement: Placement, expectedVersion: number | undefined): Refusal | undefined {
  return expectedVersion !== undefined && expectedVersion !== placement.version
    ? refuse.stale(placement.version)
    : undefined;
}

/** The next version of a placement, with what changed. */
function next(placement: Placement, changes: Partial<Placement>, stamp: Stamp): Placement {
  return { ...placement, ...changes, version: placement.version + 1, updatedAt: stamp.now.toISOString() };
}

export function editPlacement(
  placement: Placement | undefined,
  command: { patch: PlacementPatch; expectedVersion: number },
  programme: Programme | undefined,
  person: PersonTerms,
  stamp: Stamp,
): PlacementDecided {
  if (!placement) return refused(refuse.notFound("Placement"));
  const refusal = staleRefusal(placement, command.expectedVersion) ?? stepRefusal(placement, "edit");
  if (refusal) return refused(refusal);
  if (!programme) return refused(refuse.notFound(`Programme ${placement.programmeId}`));
  const { patch } = command;
  if (patch.person && patch.person.staffId !== placement.person.staffId) {
    return refused(
      refuse.invalid([
        { path: "body.person.staffId", message: "a placement's person cannot change: cancel it and propose anew" },
      ]),
    );
  }
  const startDate = patch.startDate ?? placement.startDate;
  const endDate = patch.endDate ?? placement.endDate;
  const datesChanged = startDate !== placement.startDate || endDate !== placement.endDate;
  const days = endDate >= startDate ? termDays(startDate, endDate) : 0;
  const estimate = patch.estimate
    ? costsOf(patch.estimate)
    : datesChanged
      ? costsOf(estimateFromNorms(programme.costNorms, days))
      : placement.estimate;
  const errors = termErrors({ startDate, endDate }, programme, estimate, "body.estimate");
  if (errors.length > 0) return refused(refuse.invalid(errors));
  const overlap = datesChanged ? overlapRefusal(placement.id, { startDate, endDate }, person.terms) : undefined;
  if (overlap) return refused(overlap);
  const { personal, estimate: _estimate, person: personPatch, ...rest } = patch;
  const edited = next(
    placement,
    {
      ...rest,
      ...(personPatch && { person: personPatch }),
      startDate,
      endDate,
      days,
      fiscalYear: quotaYearOf(startDate),
      estimate,
    },
    stamp,
  );
  return decided({
    state: edited,
    expectedVersion: placement.version,
    events: [],
    audit: audit(edited, "edited", placement.version),
    personal: personal ?? null,
    personTerms: datesChanged
      ? {
          staffId: placement.person.staffId,
          terms: [...person.terms.filter((t) => t.placementId !== placement.id), termOf(edited)],
          expectedVersion: person.version,
        }
      : null,
    quota: null,
    statusRead: placement.status,
  });
}

function holdRequest(
  placement: Placement,
  programme: Programme,
  purpose: PlacementHold["purpose"],
  amountYen: number,
  stamp: Stamp,
): { hold: PlacementHold; request: PendingEvent } {
  const sequence = placement.holds.filter((hold) => hold.purpose === purpose).length + 1;
  const reference = holdReferenceOf(placement.id, purpose, sequence);
  const hold: PlacementHold = {
    reference,
    purpose,
    amountYen,
    status: "requested",
    holdId: null,
    postYen: null,
    requestedAt: stamp.now.toISOString(),
  };
  // The ledger's journal names the placement, never the person: who it is stays with this service.
  const request = event(FundHoldRequested, {
    reference,
    requester: REQUESTER,
    programme: programme.fundProgramme,
    fiscalYear: placement.fiscalYear,
    amountYen,
    description: {
      ja: `職員交流 ${placement.partnerId} ${placement.direction === "inbound" ? "受入" : "派遣"} ${placement.id}（${placement.startDate}〜${placement.endDate}）${purpose === "top-up" ? " 追加" : ""}`,
      en: `Staff exchange ${placement.partnerId} ${placement.direction} ${placement.id} (${placement.startDate} to ${placement.endDate})${purpose === "top-up" ? ", top-up" : ""}`,
    },
    expiresOn: holdExpiryOf(placement, programme),
    partnerId: placement.partnerId,
  });
  return { hold, request };
}

/** Approval takes a quota slot (on condition, under concurrency) and asks the ledger to hold the estimate. */
export function approvePlacement(
  placement: Placement | undefined,
  command: { expectedVersion?: number | undefined },
  programme: Programme | undefined,
  used: QuotaUse,
  stamp: Stamp,
): PlacementDecided {
  if (!placement) return refused(refuse.notFound("Placement"));
  const refusal = staleRefusal(placement, command.expectedVersion) ?? stepRefusal(placement, "approve");
  if (refusal) return refused(refusal);
  if (!programme) return refused(refuse.notFound(`Programme ${placement.programmeId}`));
  const overQuota = quotaRefusal(programme, placement, used);
  if (overQuota) return refused(overQuota);
  const { hold, request } = holdRequest(placement, programme, "estimate", placement.estimate.totalYen, stamp);
  const approved = next(
    placement,
    { status: "approved", holds: [...placement.holds, hold], approvedAt: stamp.now.toISOString() },
    stamp,
  );
  const limit = quotaOf(programme, placement.direction);
  return decided({
    state: approved,
    expectedVersion: placement.version,
    events: [event(PlacementApproved, { ...publicPlacement(approved), holdReference: hold.reference }), request],
    audit: audit(approved, "approved", placement.version),
    ...NO_WRITES,
    quota: {
      fiscalYear: placement.fiscalYear,
      direction: placement.direction,
      delta: { placements: 1, days: placement.days },
      limit,
    },
    statusRead: placement.status,
  });
}

/** After a refusal: the estimate (lowered, say) is asked for again under a new reference. */
export function requestFundingAgain(
  placement: Placement | undefined,
  command: { estimate?: CostBreakdown | undefined; expectedVersion?: number | undefined },
  programme: Programme | undefined,
  stamp: Stamp,
): PlacementDecided {
  if (!placement) return refused(refuse.notFound("Placement"));
  const refusal = staleRefusal(placement, command.expectedVersion) ?? stepRefusal(placement, "request funding");
  if (refusal) return refused(refusal);
  if (!programme) return refused(refuse.notFound(`Programme ${placement.programmeId}`));
  const estimate = command.estimate ? costsOf(command.estimate) : placement.estimate;
  const errors = termErrors(placement, programme, estimate, "body.estimate");
  if (errors.length > 0) return refused(refuse.invalid(errors));
  const tooMany = holdsLimitRefusal(placement);
  if (tooMany) return refused(tooMany);
  const withEstimate = { ...placement, estimate };
  const { hold, request } = holdRequest(withEstimate, programme, "estimate", estimate.totalYen, stamp);
  const approved = next(
    withEstimate,
    {
      status: "approved",
      holds: [...placement.holds, hold],
      fundingRejection: null,
      approvedAt: stamp.now.toISOString(),
    },
    stamp,
  );
  return decided({
    state: approved,
    expectedVersion: placement.version,
    events: [event(PlacementApproved, { ...publicPlacement(approved), holdReference: hold.reference }), request],
    audit: audit(approved, "funding-requested", placement.version),
    ...NO_WRITES,
    statusRead: placement.status,
  });
}

/** More money for actual costs above the holds: a top-up hold, asked for before completion. */
export function requestTopUp(
  placement: Placement | undefined,
  command: { amountYen: number; expectedVersion?: number | undefined },
  programme: Programme | undefined,
  stamp: Stamp,
): PlacementDecided {
  if (!placement) return refused(refuse.notFound("Placement"));
  const refusal = staleRefusal(placement, command.expectedVersion) ?? stepRefusal(placement, "top up");
  if (refusal) return refused(refusal);
  if (!programme) return refused(refuse.notFound(`Programme ${placement.programmeId}`));
  if (!Number.isSafeInteger(command.amountYen) || command.amountYen < 1) {
    return refused(refuse.invalid([{ path: "body.amountYen", message: "must be a whole number of yen, at least 1" }]));
  }
  if (pendingHolds(placement).length > 0) {
    return refused(
      refuse.rule(RULES.topUpPending, `Placement ${placement.id} waits for the ledger's answer to a hold already`),
    );
  }
  const tooMany = holdsLimitRefusal(placement);
  if (tooMany) return refused(tooMany);
  const { hold, request } = holdRequest(placement, programme, "top-up", command.amountYen, stamp);
  const toppedUp = next(placement, { holds: [...placement.holds, hold] }, stamp);
  return decided({
    state: toppedUp,
    expectedVersion: placement.version,
    events: [request],
    audit: audit(toppedUp, "top-up-requested", placement.version),
    ...NO_WRITES,
    statusRead: placement.status,
  });
}

/** Nothing to do: the answer is a repeat, or for a placement that no longer wants it (ignored by the consumer). */
const nothingToDo = (placement: Placement, detail: string) =>
  refused(refuse.conflict(`${detail}: nothing to do`, placement.status));

/** The ledger placed a hold: the estimate's makes the placement funded; a top-up's adds to what is held. */
export function holdPlaced(
  placement: Placement | undefined,
  answer: { reference: string; holdId: string; amountYen: number },
  stamp: Stamp,
): PlacementDecided {
  if (!placement) return refused(refuse.notFound("Placement"));
  const hold = placement.holds.find((h) => h.reference === answer.reference);
  if (hold?.status !== "requested" || placement.status === "cancelled") {
    return nothingToDo(
      placement,
      `Hold ${answer.reference} placed for placement ${placement.id} (${hold?.status ?? "unknown"})`,
    );
  }
  const holds = placement.holds.map((h) =>
    h.reference === hold.reference
      ? { ...h, status: "placed" as const, holdId: answer.holdId, amountYen: answer.amountYen }
      : h,
  );
  const becomesFunded = hold.purpose === "estimate" && placement.status === "approved";
  const funded = next(
    placement,
    // A placed hold answers any earlier refusal (a top-up's): it is no longer what the coordinator must see.
    { holds, fundingRejection: null, ...(becomesFunded && { status: "funded" as const, fundingOverdueSince: null }) },
    stamp,
  );
  return decided({
    state: funded,
    expectedVersion: placement.version,
    events: becomesFunded
      ? [event(PlacementFunded, { ...publicPlacement(funded), holdId: answer.holdId, heldYen: heldYen(funded) })]
      : [],
    audit: audit(funded, becomesFunded ? "funded" : "top-up-placed", placement.version),
    ...NO_WRITES,
    statusRead: placement.status,
  });
}

/** The ledger refused a hold: the estimate's makes the placement funding-rejected, with the reason. */
export function holdRejected(
  placement: Placement | undefined,
  answer: { reference: string; reason: string; detail: string },
  stamp: Stamp,
): PlacementDecided {
  if (!placement) return refused(refuse.notFound("Placement"));
  const hold = placement.holds.find((h) => h.reference === answer.reference);
  if (hold?.status !== "requested" || placement.status === "cancelled") {
    return nothingToDo(placement, `Hold ${answer.reference} rejected for placement ${placement.id}`);
  }
  const holds = placement.holds.map((h) =>
    h.reference === hold.reference ? { ...h, status: "rejected" as const } : h,
  );
  const rejection = { reason: answer.reason, detail: answer.detail, reference: answer.reference };
  const becomesRejected = hold.purpose === "estimate" && placement.status === "approved";
  const rejected = next(
    placement,
    {
      holds,
      fundingRejection: rejection,
      ...(becomesRejected && { status: "funding-rejected" as const, fundingOverdueSince: null }),
    },
    stamp,
  );
  return decided({
    state: rejected,
    expectedVersion: placement.version,
    events: becomesRejected
      ? [
          event(PlacementFundingRejected, {
            ...publicPlacement(rejected),
            reason: answer.reason,
            detail: answer.detail,
          }),
        ]
      : [],
    audit: audit(rejected, becomesRejected ? "funding-rejected" : "top-up-rejected", placement.version),
    ...NO_WRITES,
    statusRead: placement.status,
  });
}

export function startPlacement(
  placement: Placement | undefined,
  command: { expectedVersion?: number | undefined },
  stamp: Stamp,
): PlacementDecided {
  if (!placement) return refused(refuse.notFound("Placement"));
  const refusal = staleRefusal(placement, command.expectedVersion) ?? stepRefusal(placement, "start");
  if (refusal) return refused(refusal);
  if (stamp.today < placement.startDate) {
    return refused(
      refuse.rule(RULES.notBeforeStart, `Placement ${placement.id} starts on ${placement.startDate}, not before`, {
        startDate: placement.startDate,
        today: stamp.today,
      }),
    );
  }
  const started = next(placement, { status: "active" }, stamp);
  return decided({
    state: started,
    expectedVersion: placement.version,
    events: [event(PlacementStarted, publicPlacement(started))],
    audit: audit(started, "started", placement.version),
    ...NO_WRITES,
    statusRead: placement.status,
  });
}

/**
 * Asks the ledger to post `amountYen` over the placed holds (the rest released) and to void those still asked for;
 * with `amountYen` null (a cancellation before the start), to void every hold, placed or still asked for.
 */
function settleHolds(
  placement: Placement,
  amountYen: number | null,
  reason: string,
): { holds: PlacementHold[]; events: PendingEvent[] } {
  const placed = amountYen === null ? [] : placedHolds(placement);
  const posted = allocatePosting(placed, amountYen ?? 0);
  const events: PendingEvent[] = [];
  const holds = placement.holds.map((hold) => {
    const index = placed.indexOf(hold);
    if (index >= 0) {
      const postYen = posted[index] ?? 0;
      events.push(
        event(FundHoldPostRequested, { reference: hold.reference, requester: REQUESTER, amountYen: postYen }),
      );
      return { ...hold, status: "post-requested" as const, postYen };
    }
    if (hold.status === "requested" || hold.status === "placed") {
      events.push(event(FundHoldVoidRequested, { reference: hold.reference, requester: REQUESTER, reason }));
      return { ...hold, status: "void-requested" as const, postYen: 0 };
    }
    return hold;
  });
  return { holds, events };
}

export function completePlacement(
  placement: Placement | undefined,
  command: { actual: CostBreakdown; expectedVersion?: number | undefined },
  stamp: Stamp,
): PlacementDecided {
  if (!placement) return refused(refuse.notFound("Placement"));
  const refusal = staleRefusal(placement, command.expectedVersion) ?? stepRefusal(placement, "complete");
  if (refusal) return refused(refusal);
  const actual = costsOf(command.actual);
  if (pendingHolds(placement).length > 0) {
    return refused(
      refuse.rule(RULES.topUpPending, `Placement ${placement.id} waits for the ledger's answer to a top-up`),
    );
  }
  const held = heldYen(placement);
  if (actual.totalYen > held) {
    return refused(
      refuse.rule(
        RULES.actualExceedsHold,
        `Actual costs of ${actual.totalYen} yen exceed the ${held} yen held: ask for a top-up of ${actual.totalYen - held} yen first`,
        { heldYen: held, actualYen: actual.totalYen },
      ),
    );
  }
  const { holds, events } = settleHolds(placement, actual.totalYen, "placement completed");
  const completed = next(placement, { status: "completed", actual, holds }, stamp);
  return decided({
    state: completed,
    expectedVersion: placement.version,
    events: [event(PlacementCompleted, { ...publicPlacement(completed), actualYen: actual.totalYen }), ...events],
    audit: audit(completed, "completed", placement.version),
    ...NO_WRITES,
    statusRead: placement.status,
  });
}

/**
 * Cancellation before the start voids every hold (those still awaiting the ledger's answer too, so none is
 * left orphaned whichever arrives first) and gives the quota back; after the start it posts what was
 * incurred, releases the rest, and the placement keeps its quota (it took place, in part).
 */
export function cancelPlacement(
  placement: Placement | undefined,
  command: { reason: string; incurredYen?: number | undefined; expectedVersion?: number | undefined },
  programme: Programme | undefined,
  person: PersonTerms,
  stamp: Stamp,
): PlacementDecided {
  if (!placement) return refused(refuse.notFound("Placement"));
  const refusal = staleRefusal(placement, command.expectedVersion) ?? stepRefusal(placement, "cancel");
  if (refusal) return refused(refusal);
  const started = placement.status === "active";
  const incurredYen = started ? (command.incurredYen ?? 0) : 0;
  if (!started && (command.incurredYen ?? 0) > 0) {
    return refused(
      refuse.invalid([{ path: "body.incurredYen", message: "only a placement that has started has incurred costs" }]),
    );
  }
  const held = heldYen(placement);
  if (incurredYen > held) {
    return refused(
      refuse.rule(
        RULES.incurredExceedsHold,
        `${incurredYen} yen incurred exceed the ${held} yen held: ask for a top-up first`,
        {
          heldYen: held,
          incurredYen,
        },
      ),
    );
  }
  const { holds, events } = settleHolds(placement, started ? incurredYen : null, command.reason.slice(0, 1000));
  const cancelled = next(
    placement,
    {
      status: "cancelled",
      holds,
      fundingOverdueSince: null,
      cancellation: { reason: command.reason, fromStatus: placement.status, incurredYen },
    },
    stamp,
  );
  const givesQuotaBack = !started && countsAgainstQuota(placement.status);
  // Programmes are never deleted; without one the quota could not be given back, so nothing is written.
  if (givesQuotaBack && !programme) return refused(refuse.notFound(`Programme ${placement.programmeId}`));
  return decided({
    state: cancelled,
    expectedVersion: placement.version,
    events: [
      event(PlacementCancelled, {
        ...publicPlacement(cancelled),
        reason: command.reason,
        previousStatus: placement.status,
        incurredYen,
      }),
      ...events,
    ],
    audit: audit(cancelled, "cancelled", placement.version),
    personal: null,
    personTerms: {
      staffId: placement.person.staffId,
      terms: person.terms.filter((term) => term.placementId !== placement.id),
      expectedVersion: person.version,
    },
    quota:
      givesQuotaBack && programme
        ? {
            fiscalYear: placement.fiscalYear,
            direction: placement.direction,
            delta: { placements: -1, days: -placement.days },
            limit: quotaOf(programme, placement.direction),
          }
        : null,
    statusRead: placement.status,
  });
}

/** The schedule's flag on an approval whose funding has been awaited longer than `waitHours`. */
export function flagFundingOverdue(
  placement: Placement | undefined,
  waitHours: number,
  stamp: Stamp,
): PlacementDecided {
  if (!placement) return refused(refuse.notFound("Placement"));
  if (placement.status !== "approved" || placement.fundingOverdueSince !== null || placement.approvedAt === null) {
    return nothingToDo(placement, `Placement ${placement.id} is not awaiting funding unflagged`);
  }
  if (stamp.now.getTime() - Date.parse(placement.approvedAt) < waitHours * 3_600_000) {
    return nothingToDo(placement, `Placement ${placement.id} has awaited funding less than ${waitHours} hours`);
  }
  const flagged = next(placement, { fundingOverdueSince: stamp.now.toISOString() }, stamp);
  return decided({
    state: flagged,
    expectedVersion: placement.version,
    events: [],
    audit: audit(flagged, "funding-overdue", placement.version),
    ...NO_WRITES,
    statusRead: placement.status,
  });
}
