import type { Direction, VendorQuote, VisitStatus } from "./model.ts";

/**
 * The life cycle of a visit: proposed → approved → confirmed → completed, or cancelled from any state
 * before completed. Approval commits the governor's calendar and the travel budget, so what decides
 * those is frozen from then on.
 */

export type VisitAction = "approve" | "confirm" | "complete" | "cancel";

/** An action not allowed in the visit's current state, or a rule it breaks; maps to HTTP 409 naming the current state. */
export class TransitionRefused extends Error {
  override readonly name = "TransitionRefused";

  constructor(
    readonly currentStatus: VisitStatus,
    readonly action: VisitAction | "edit",
    message: string,
  ) {
    super(message);
  }
}

/** The TMG guideline asks for quotes from several vendors before an overseas trip is decided. */
export const MIN_QUOTES_FOR_OUTBOUND_APPROVAL = 2;

/** The one state each forward action starts from, and where it leads. */
const FORWARD: Readonly<Record<Exclude<VisitAction, "cancel">, { from: VisitStatus; to: VisitStatus }>> = {
  approve: { from: "proposed", to: "approved" },
  confirm: { from: "approved", to: "confirmed" },
  complete: { from: "confirmed", to: "completed" },
};

/** "approve" → "approved": the participle the messages use. */
const PAST_PARTICIPLE: Readonly<Record<VisitAction, string>> = {
  approve: "approved",
  confirm: "confirmed",
  complete: "completed",
  cancel: "cancelled",
};

/** "a proposed", "an approved": the states' articles. */
function withArticle(status: VisitStatus): string {
  return /^[aeiou]/.test(status) ? `an ${status}` : `a ${status}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The same vendor quoting twice is one vendor: names compare trimmed, case-insensitively, with
 * full-width and half-width forms alike (NFKC: "ＪＴＢ" is "JTB") and inner white space collapsed.
 */
export function vendorKey(vendor: string): string {
  return vendor.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}

/** How many different vendors quoted. */
export function distinctVendorCount(quotes: readonly VendorQuote[]): number {
  return new Set(quotes.map((quote) => vendorKey(quote.vendor)).filter((key) => key !== "")).size;
}

/** The status after the action, or throws TransitionRefused. */
export function nextStatus(
  visit: { status: VisitStatus; direction: Direction; costEstimate: { quotes: readonly VendorQuote[] } },
  action: VisitAction,
): VisitStatus {
  const current = visit.status;

  if (action === "cancel") {
    if (current === "completed" || current === "cancelled") {
      throw new TransitionRefused(current, action, `${capitalized(withArticle(current))} visit cannot be cancelled`);
    }
    return "cancelled";
  }

  const step = FORWARD[action];
  if (current !== step.from) {
    throw new TransitionRefused(
      current,
      action,
      `Only ${withArticle(step.from)} visit can be ${PAST_PARTICIPLE[action]}; this one is ${current}`,
    );
  }

  if (action === "approve" && visit.direction === "outbound") {
    const vendors = distinctVendorCount(visit.costEstimate.quotes);
    if (vendors < MIN_QUOTES_FOR_OUTBOUND_APPROVAL) {
      throw new TransitionRefused(
        current,
        action,
        `An outbound visit needs quotes from at least ${MIN_QUOTES_FOR_OUTBOUND_APPROVAL} different vendors ` +
          `before approval; this ${current} visit has ${vendors === 0 ? "none" : `only ${vendors}`}`,
      );
    }
  }

  return step.to;
}

/**
 * The fields that decide the governor's calendar and the approval itself (the quotes are part of the
 * cost estimate): approving a visit commits them, so they can change only while it is proposed.
 */
export const FIELDS_FIXED_ON_APPROVAL: readonly string[] = [
  "direction",
  "partnerIds",
  "delegationHead",
  "startDate",
  "endDate",
  "costEstimate",
];

/** A visit in these states is a record of what happened (or did not): it is never edited. */
const FINAL_STATES: readonly VisitStatus[] = ["completed", "cancelled"];

/**
 * Throws TransitionRefused when a change is not allowed in the visit's state. Any field not fixed on
 * approval (itinerary, members, purposeStatement, priority, purpose, conferenceId) may change until
 * the visit is completed or cancelled.
 */
export function checkEdit(visit: { status: VisitStatus }, changedFields: readonly string[]): void {
  const current = visit.status;
  if (FINAL_STATES.includes(current)) {
    throw new TransitionRefused(current, "edit", `${capitalized(withArticle(current))} visit cannot be edited`);
  }
  if (current === "proposed") return;

  const fixed = [...new Set(changedFields.filter((field) => FIELDS_FIXED_ON_APPROVAL.includes(field)))];
  if (fixed.length > 0) {
    throw new TransitionRefused(
      current,
      "edit",
      `${fixed.join(", ")} can change only while a visit is proposed; this one is ${current}`,
    );
  }
}
