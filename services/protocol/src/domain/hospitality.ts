import { BilingualText, IsoDate, IsoDateTime, MissionId, PartnerId, Text } from "@cdp/contracts";
import { type Decided, decided, type FieldError, refuse, refused } from "@cdp/lambda-kit/decision";
import * as z from "zod/mini";
import type { Stamp } from "./stamp.ts";

/**
 * Hospitality: the receptions, luncheons and dinners the governor, a vice-governor or another official gives
 * for dignitaries, with what they cost. The cost is sent both as a total and as lines, and the two must agree
 * (`body.costYen` is refused otherwise): the total is the invoice's figure the monthly public list shows, the
 * lines are how it was made up, and a clerk's typing error in either is caught rather than published.
 *
 * Principal guests are public figures, but the public list names only the counterpart, never a guest.
 */

export const HOSPITALITY_LIMITS = {
  guests: 10_000,
  principalGuests: 30,
  costLines: 20,
  partnerIds: 20,
  reasonLength: 1000,
} as const;

const Yen = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));

export const HospitalityKind = z.enum(["reception", "luncheon", "dinner", "other"]);
export type HospitalityKind = z.infer<typeof HospitalityKind>;
/** Who hosts: only the governor's own hospitality goes on the monthly public list. */
export const HospitalityHost = z.enum(["governor", "vice-governor", "other"]);
export type HospitalityHost = z.infer<typeof HospitalityHost>;
export const CostItem = z.enum(["catering", "venue", "gifts", "interpretation", "transport", "other"]);
export type CostItem = z.infer<typeof CostItem>;

export const CostLine = z.strictObject({ item: CostItem, yen: Yen });
export type CostLine = z.infer<typeof CostLine>;

export const PrincipalGuest = z.strictObject({ name: BilingualText, title: BilingualText });
export type PrincipalGuest = z.infer<typeof PrincipalGuest>;

/** Who the hospitality was for, as the public list names them; the ids link it to the mission or partners. */
export const Counterpart = z.strictObject({
  name: BilingualText,
  missionId: z.optional(MissionId),
  partnerIds: z.optional(z.array(PartnerId).check(z.maxLength(HOSPITALITY_LIMITS.partnerIds))),
});
export type Counterpart = z.infer<typeof Counterpart>;

const fields = {
  date: IsoDate,
  kind: HospitalityKind,
  occasion: BilingualText,
  host: HospitalityHost,
  counterpart: Counterpart,
  guestCount: z.int().check(z.minimum(1), z.maximum(HOSPITALITY_LIMITS.guests)),
  principalGuests: z.array(PrincipalGuest).check(z.maxLength(HOSPITALITY_LIMITS.principalGuests)),
  venue: BilingualText,
  costYen: Yen,
  /** May be empty only for hospitality that cost nothing (the partner paid, say): the total must then be 0. */
  costLines: z.array(CostLine).check(z.maxLength(HOSPITALITY_LIMITS.costLines)),
};

export const HospitalityInput = z.strictObject(fields);
export type HospitalityInput = z.infer<typeof HospitalityInput>;

/** What may change while recorded; changing the cost means sending the total and the lines together. */
export const HospitalityPatch = z
  .strictObject({
    date: z.optional(fields.date),
    kind: z.optional(fields.kind),
    occasion: z.optional(fields.occasion),
    host: z.optional(fields.host),
    counterpart: z.optional(fields.counterpart),
    guestCount: z.optional(fields.guestCount),
    principalGuests: z.optional(fields.principalGuests),
    venue: z.optional(fields.venue),
    costYen: z.optional(fields.costYen),
    costLines: z.optional(fields.costLines),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, "names no field to change"));
export type HospitalityPatch = z.infer<typeof HospitalityPatch>;

export const HospitalityCancellation = z.strictObject({ reason: Text(HOSPITALITY_LIMITS.reasonLength) });
export type HospitalityCancellation = z.infer<typeof HospitalityCancellation>;

export const HospitalityStatus = z.enum(["recorded", "cancelled"]);
export type HospitalityStatus = z.infer<typeof HospitalityStatus>;

export const Hospitality = z.object({
  id: z.string(),
  ...fields,
  status: HospitalityStatus,
  cancellation: z.nullable(z.object({ reason: z.string(), cancelledOn: IsoDate })),
  version: z.int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Hospitality = z.infer<typeof Hospitality>;

export type HospitalityDecided = Decided<Hospitality>;

/** The sum of the lines, or null when it is too large to hold exactly. */
export function sumOfLines(lines: readonly CostLine[]): number | null {
  const sum = lines.reduce((total, line) => total + line.yen, 0);
  return Number.isSafeInteger(sum) ? sum : null;
}

/** The total must be the sum of the lines, to the yen. */
export function costErrors(cost: { costYen: number; costLines: readonly CostLine[] }): FieldError[] {
  const sum = sumOfLines(cost.costLines);
  if (sum === null) return [{ path: "body.costLines", message: "the lines add up to more than can be held" }];
  if (sum !== cost.costYen) {
    return [{ path: "body.costYen", message: `must equal the sum of costLines (${sum} yen), not ${cost.costYen}` }];
  }
  return [];
}

const audit = (record: Hospitality, action: string, beforeVersion: number | null) => ({
  entity: `hospitality#${record.id}`,
  action: `hospitality.${action}`,
  beforeVersion,
  afterVersion: record.version,
});

function staleOrCancelled(record: Hospitality, expectedVersion: number | undefined, doing: string) {
  if (expectedVersion !== undefined && expectedVersion !== record.version) return refuse.stale(record.version);
  if (record.status === "cancelled") {
    return refuse.conflict(`Hospitality ${record.id} is cancelled: it cannot be ${doing}`, record.status);
  }
  return undefined;
}

export function recordHospitality(input: HospitalityInput, stamp: Stamp): HospitalityDecided {
  const errors = costErrors(input);
  if (errors.length > 0) return refused(refuse.invalid(errors));
  const at = stamp.now.toISOString();
  const record: Hospitality = {
    id: stamp.newId(),
    ...input,
    status: "recorded",
    cancellation: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  // No event: no other service reads hospitality; the public list is generated from the records.
  return decided({ state: record, expectedVersion: null, events: [], audit: audit(record, "recorded", null) });
}

export function updateHospitality(
  record: Hospitality | undefined,
  command: { patch: HospitalityPatch; expectedVersion?: number | undefined },
  stamp: Stamp,
): HospitalityDecided {
  if (!record) return refused(refuse.notFound("Hospitality"));
  const refusal = staleOrCancelled(record, command.expectedVersion, "changed");
  if (refusal) return refused(refusal);
  // Absent keys keep their value; an explicit `undefined` from a caller must not erase a required field.
  const changes = Object.fromEntries(Object.entries(command.patch).filter(([, value]) => value !== undefined));
  const updated: Hospitality = {
    ...record,
    ...changes,
    version: record.version + 1,
    updatedAt: stamp.now.toISOString(),
  };
  const errors = costErrors(updated);
  if (errors.length > 0) return refused(refuse.invalid(errors));
  return decided({
    state: updated,
    expectedVersion: record.version,
    events: [],
    audit: audit(updated, "updated", record.version),
  });
}

/** Kept, not deleted: a cancelled record stays for the audit trail but leaves the public list. */
export function cancelHospitality(
  record: Hospitality | undefined,
  command: { reason: string; expectedVersion?: number | undefined },
  stamp: Stamp,
): HospitalityDecided {
  if (!record) return refused(refuse.notFound("Hospitality"));
  const refusal = staleOrCancelled(record, command.expectedVersion, "cancelled again");
  if (refusal) return refused(refusal);
  const cancelled: Hospitality = {
    ...record,
    status: "cancelled",
    cancellation: { reason: command.reason, cancelledOn: stamp.today },
    version: record.version + 1,
    updatedAt: stamp.now.toISOString(),
  };
  return decided({
    state: cancelled,
    expectedVersion: record.version,
    events: [],
    audit: audit(cancelled, "cancelled", record.version),
  });
}
