import { tokyoDate } from "@cdp/contracts";
import type { Decided, PendingEvent, Refusal } from "@cdp/lambda-kit/decision";
import { safeParse } from "zod/v4/core";
import {
  approvePlacement,
  cancelPlacement,
  completePlacement,
  holdPlaced,
  holdRejected,
  type PersonTerms,
  type PlacementDecision,
  type PlacementWrites,
  proposePlacement,
  type Stamp,
  startPlacement,
} from "./decide.ts";
import type {
  CostBreakdown,
  PersonalData,
  Placement,
  PlacementInput,
  PlacementStatus,
  Programme,
  ProgrammeInput,
  QuotaUse,
} from "./model.ts";

/**
 * Fixtures for the staff exchange's tests: a programme, a placement input, a placement in every status
 * (reached through the decide functions themselves, so a fixture is always a state the domain can make),
 * a stamp with a fixed clock and deterministic ids, and the ledger's answers. Pure: no I/O, no test runner,
 * so unit, integration and saga tests can all share it.
 */

/** When each step of the default journey happens (UTC; Tokyo is 9 hours ahead). */
export const AT = {
  proposed: "2026-11-28T01:00:00.000Z",
  approved: "2026-12-01T01:00:00.000Z",
  answered: "2026-12-01T01:00:05.000Z",
  /** 09:30 on 2027-04-01 in Tokyo: the default term's first day. */
  started: "2027-04-01T00:30:00.000Z",
  completed: "2027-10-05T02:00:00.000Z",
  cancelled: "2026-12-10T03:00:00.000Z",
} as const;

/** Ids in order (`pl-1`, `pl-2`, …), so a decision's new ids can be named. */
export function sequentialIds(prefix = "pl"): () => string {
  let next = 0;
  return () => `${prefix}-${++next}`;
}

/** A stamp at a fixed instant: `today` is Tokyo's date then, unless given (to test a date boundary). */
export function stampAt(
  at: string | Date = AT.proposed,
  options: { newId?: () => string; today?: string } = {},
): Stamp {
  const now = typeof at === "string" ? new Date(at) : at;
  return { now, today: options.today ?? tokyoDate(now), newId: options.newId ?? sequentialIds() };
}

/** The ledger's hold ids are UUIDs: the n-th one, deterministic. */
export const holdIdOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/**
 * A programme with Seoul like the seed's: one person each way a year, about six months, norms that give round
 * estimates (183 days: 1,830,000 allowance, 915,000 housing, 91,500 insurance, 200,000 travel).
 */
export function aProgramme(overrides: Partial<Programme> = {}): Programme {
  return {
    id: "seoul",
    partnerId: "seoul",
    agreementId: "agr-seoul-1988",
    name: { ja: "ソウル特別市との職員交流", en: "Staff exchange with Seoul" },
    placementsPerYear: { outbound: 1, inbound: 1 },
    totalDaysPerYear: { outbound: 200, inbound: 200 },
    minDays: 10,
    maxDays: 366,
    costNorms: {
      monthlyAllowanceYen: 300_000,
      monthlyHousingYen: 150_000,
      monthlyInsuranceYen: 15_000,
      travelYen: 200_000,
    },
    fundProgramme: "staff-exchange",
    settlementDays: 60,
    version: 1,
    createdAt: "2026-10-01T00:00:00.000Z",
    updatedAt: "2026-10-01T00:00:00.000Z",
    ...overrides,
  };
}

/** What the coordinator sends to create such a programme, for a partner of the caller's choosing. */
export function aProgrammeInput(partnerId: string, overrides: Partial<ProgrammeInput> = {}): ProgrammeInput {
  const { placementsPerYear, totalDaysPerYear, minDays, maxDays, costNorms, name } = aProgramme();
  return { partnerId, name, placementsPerYear, totalDaysPerYear, minDays, maxDays, costNorms, ...overrides };
}

/** The default term: 2027-04-01 to 2027-09-30, 183 days, FY2027. */
export const TERM = { startDate: "2027-04-01", endDate: "2027-09-30", days: 183, fiscalYear: 2027 } as const;
/** What the default programme's norms make of the default term. */
export const NORM_ESTIMATE: CostBreakdown = {
  allowanceYen: 1_830_000,
  housingYen: 915_000,
  travelYen: 200_000,
  insuranceYen: 91_500,
  otherYen: 0,
};
export const NORM_ESTIMATE_TOTAL = 3_036_500;

export const STAFF_ID = "T-102938";

/** Personal data with values found nowhere else, so a leak of any of them can be searched for. */
export const PERSONAL: PersonalData = {
  passportNumber: "TK7319264",
  dateOfBirth: "1988-02-29",
  privateEmail: "hanako.private.mail@example.net",
  emergencyContact: { name: "山田 一郎 (Ichiro Yamada)", relationship: "Father of record", phone: "+81 90-5555-0199" },
  medicalNotes: "Penicillin allergy; carries an epinephrine pen",
};

/** Every value of the personal data, to look for in what is published. */
export function personalValues(personal: PersonalData = PERSONAL): string[] {
  const { emergencyContact, ...flat } = personal;
  return [
    ...Object.values(flat).filter((value): value is string => typeof value === "string"),
    ...(emergencyContact ? [emergencyContact.name, emergencyContact.relationship, emergencyContact.phone] : []),
  ];
}

export function aPlacementInput(overrides: Partial<PlacementInput> = {}): PlacementInput {
  return {
    programmeId: "seoul",
    direction: "outbound",
    person: {
      staffId: STAFF_ID,
      name: { ja: "山田 花子", en: "Hanako Yamada" },
      position: { ja: "主事", en: "Officer" },
    },
    hostOrganisation: { ja: "ソウル特別市", en: "Seoul Metropolitan Government" },
    hostDepartment: { ja: "都市計画局", en: "Urban Planning Bureau" },
    startDate: TERM.startDate,
    endDate: TERM.endDate,
    purpose: { ja: "都市計画の実務研修", en: "On-the-job training in urban planning" },
    fields: ["urban planning", "housing"],
    ...overrides,
  };
}

export const NO_TERMS: PersonTerms = { terms: [], version: null };
export const NO_QUOTA_USED: QuotaUse = { placements: 0, days: 0 };

/** The decision, or an error naming the refusal. */
export function decisionOf<State, Extra extends object>(outcome: Decided<State, Extra>) {
  if (!outcome.ok) throw new Error(`expected a decision, got ${JSON.stringify(outcome.refusal)}`);
  return outcome.decision;
}

/** The refusal, or an error when the command was decided. */
export function refusalOf<State, Extra extends object>(outcome: Decided<State, Extra>): Refusal {
  if (outcome.ok) throw new Error(`expected a refusal, got a decision to ${JSON.stringify(outcome.decision.audit)}`);
  return outcome.refusal;
}

/** An event as the outbox will write it: parsed by its contract (an error if it does not match). */
export function published(pending: PendingEvent | undefined, occurredAt = AT.proposed) {
  if (!pending) throw new Error("no event");
  const metadata = { eventId: "e-1", correlationId: "c-1", occurredAt };
  const parsed = safeParse(pending.contract.detail, { ...(pending.detail as object), metadata });
  if (!parsed.success) throw new Error(`event does not match ${pending.contract.detailType}: ${parsed.error.message}`);
  return { detailType: pending.contract.detailType, detail: parsed.data as Record<string, unknown> };
}

/** The detail types a decision publishes, in order. */
export const detailTypes = (decision: { readonly events: readonly PendingEvent[] }) =>
  decision.events.map((pending) => pending.contract.detailType);

/** The person's terms after a decision was written (its version one further), or as they were. */
export function termsAfter(before: PersonTerms, decision: PlacementWrites): PersonTerms {
  if (!decision.personTerms) return before;
  return { terms: decision.personTerms.terms, version: (before.version ?? 0) + 1 };
}

/** The ledger's answer placing a hold the placement asked for (the estimate's, by default), for what was asked. */
export function placedAnswer(placement: Placement, reference = `placement:${placement.id}`, holdNumber = 1) {
  const hold = placement.holds.find((h) => h.reference === reference);
  return { reference, holdId: holdIdOf(holdNumber), amountYen: hold?.amountYen ?? placement.estimate.totalYen };
}

export function rejectedAnswer(reference: string, reason = "insufficient-available") {
  return { reference, reason, detail: "The programme's available balance is 1,200,000 yen" };
}

export interface JourneyOptions {
  readonly programme?: Programme;
  readonly input?: Partial<PlacementInput>;
  /** The person's other terms before the proposal. */
  readonly terms?: PersonTerms;
  /** The status a `cancelled` placement is cancelled from (default `funded`). */
  readonly cancelledFrom?: Exclude<PlacementStatus, "cancelled" | "completed">;
  /** Incurred costs when cancelled from `active`. */
  readonly incurredYen?: number;
  /** Actual costs when completed (default: the estimate's breakdown less 36,500 yen of insurance). */
  readonly actual?: CostBreakdown;
  /** The placement's id (default `pl-1`). */
  readonly id?: string;
}

export interface Journey {
  readonly programme: Programme;
  readonly placement: Placement;
  /** The person's terms after the last step. */
  readonly terms: PersonTerms;
  /** Every decision on the way, in order. */
  readonly decisions: readonly PlacementDecision[];
}

const PATH: Readonly<Record<Exclude<PlacementStatus, "cancelled">, readonly PlacementStatus[]>> = {
  applied: ["applied"],
  approved: ["applied", "approved"],
  "funding-rejected": ["applied", "approved", "funding-rejected"],
  funded: ["applied", "approved", "funded"],
  active: ["applied", "approved", "funded", "active"],
  completed: ["applied", "approved", "funded", "active", "completed"],
};

/** Default actual costs of a completion: within the estimate. */
export const ACTUAL: CostBreakdown = { ...NORM_ESTIMATE, insuranceYen: 55_000 };
export const ACTUAL_TOTAL = NORM_ESTIMATE_TOTAL - 36_500;

/**
 * A placement in `status`, reached through the decide functions: proposed, approved with no quota used, the
 * estimate's hold placed (or rejected), started on its first day, completed with `ACTUAL`, or cancelled.
 */
export function placementIn(status: PlacementStatus, options: JourneyOptions = {}): Journey {
  const programme = options.programme ?? aProgramme();
  const input = aPlacementInput(options.input);
  const id = options.id ?? "pl-1";
  const steps = status === "cancelled" ? PATH[options.cancelledFrom ?? "funded"] : PATH[status];
  const decisions: PlacementDecision[] = [];
  let terms = options.terms ?? NO_TERMS;
  let placement: Placement | undefined;
  const take = (outcome: Decided<Placement, PlacementWrites>) => {
    const decision = decisionOf(outcome);
    decisions.push(decision);
    terms = termsAfter(terms, decision);
    placement = decision.state;
    return decision.state;
  };
  for (const step of steps) {
    switch (step) {
      case "applied":
        take(proposePlacement(input, programme, terms, stampAt(AT.proposed, { newId: () => id })));
        break;
      case "approved":
        take(approvePlacement(placement, {}, programme, NO_QUOTA_USED, stampAt(AT.approved)));
        break;
      case "funded":
        if (placement) take(holdPlaced(placement, placedAnswer(placement), stampAt(AT.answered)));
        break;
      case "funding-rejected":
        take(holdRejected(placement, rejectedAnswer(`placement:${id}`), stampAt(AT.answered)));
        break;
      case "active":
        take(startPlacement(placement, {}, stampAt(`${input.startDate}T00:30:00.000Z`)));
        break;
      case "completed":
        take(completePlacement(placement, { actual: options.actual ?? ACTUAL }, stampAt(AT.completed)));
        break;
    }
  }
  if (status === "cancelled") {
    const at = options.cancelledFrom === "active" ? `${input.startDate}T05:00:00.000Z` : AT.cancelled;
    take(
      cancelPlacement(
        placement,
        {
          reason: "The host bureau reorganised",
          ...(options.incurredYen !== undefined && { incurredYen: options.incurredYen }),
        },
        programme,
        terms,
        stampAt(at),
      ),
    );
  }
  if (!placement) throw new Error(`no placement reached ${status}`);
  return { programme, placement, terms, decisions };
}
