import { addDays, compareCodeUnits, IsoDate, IsoDateTime, Text } from "@cdp/contracts";
import { type Decided, type Decision, decided, refuse, refused } from "@cdp/lambda-kit/decision";
import * as z from "zod/mini";
import type { Stamp } from "./stamp.ts";

/**
 * Declarations of receipt: the line the office writes when a gift arrives (received on, estimated value, what it
 * is), before the gift is registered in full (gifts.ts). A received gift worth more than the threshold (strictly
 * above; ¥50,000 unless configured) must be registered within 30 days of receipt: day 30 is in time, day 31 late.
 * The daily schedule flags the declarations still pending past that (`flagOverdue`), once each.
 */

export const DEFAULT_REGISTRATION_THRESHOLD_YEN = 50_000;
/** Days after receipt within which a gift over the threshold must be registered. */
export const REGISTRATION_DAYS = 30;

export const Yen = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));

export const DeclarationInput = z.strictObject({
  receivedOn: IsoDate,
  estimatedValueYen: Yen,
  /** What it is and from whom, for the office only: never published. */
  summary: Text(300),
});
export type DeclarationInput = z.infer<typeof DeclarationInput>;

export const DeclarationStatus = z.enum(["pending", "registered"]);
export type DeclarationStatus = z.infer<typeof DeclarationStatus>;

export const Declaration = z.object({
  id: z.string(),
  ...DeclarationInput.shape,
  declaredOn: IsoDate,
  status: DeclarationStatus,
  giftId: z.nullable(z.string()),
  /** The day the schedule found it overdue, kept once registered (late) for the record. */
  overdueSince: z.nullable(IsoDate),
  version: z.int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Declaration = z.infer<typeof Declaration>;

/** In time on the 30th day after receipt, late from the 31st. */
export const registrationDueOn = (receivedOn: string): string => addDays(receivedOn, REGISTRATION_DAYS);

export const declarationAudit = (id: string, action: string, beforeVersion: number | null, afterVersion: number) =>
  ({ entity: `gift-declaration#${id}`, action: `gift-declaration.${action}`, beforeVersion, afterVersion }) as const;

export function declareReceipt(input: DeclarationInput, stamp: Stamp): Decided<Declaration> {
  if (input.receivedOn > stamp.today) {
    return refused(refuse.invalid([{ path: "body.receivedOn", message: "must not be after today" }]));
  }
  const at = stamp.now.toISOString();
  const declaration: Declaration = {
    id: stamp.newId(),
    ...input,
    declaredOn: stamp.today,
    status: "pending",
    giftId: null,
    overdueSince: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return decided({
    state: declaration,
    expectedVersion: null,
    events: [],
    audit: declarationAudit(declaration.id, "declared", null, 1),
  });
}

/** Declared receipts over the threshold, still unregistered after their 30 days: oldest first. */
export function overdueDeclarations(
  declarations: readonly Declaration[],
  today: string,
  thresholdYen = DEFAULT_REGISTRATION_THRESHOLD_YEN,
): Declaration[] {
  return declarations
    .filter(
      (d) => d.status === "pending" && d.estimatedValueYen > thresholdYen && registrationDueOn(d.receivedOn) < today,
    )
    .sort((a, b) => compareCodeUnits(a.receivedOn, b.receivedOn) || compareCodeUnits(a.id, b.id));
}

/**
 * Marks each overdue declaration not marked yet, on the version read: what `?overdue=true` lists. A declaration
 * marked already is left alone, so the schedule may run any number of times a day.
 */
export function flagOverdue(
  pending: readonly Declaration[],
  stamp: Stamp,
  thresholdYen = DEFAULT_REGISTRATION_THRESHOLD_YEN,
): Decision<Declaration>[] {
  return overdueDeclarations(pending, stamp.today, thresholdYen)
    .filter((declaration) => declaration.overdueSince === null)
    .map((declaration) => {
      const state: Declaration = {
        ...declaration,
        overdueSince: stamp.today,
        version: declaration.version + 1,
        updatedAt: stamp.now.toISOString(),
      };
      return {
        state,
        expectedVersion: declaration.version,
        events: [],
        audit: declarationAudit(declaration.id, "flagged-overdue", declaration.version, state.version),
      };
    });
}
