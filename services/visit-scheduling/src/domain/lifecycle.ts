import { type Refusal, refuse, refused } from "@cdp/lambda-kit/decision";
import type { Direction, VendorQuote, VisitStatus } from "./model.ts";

/**
 * The life cycle of a visit: proposed → approved → confirmed → completed, or cancelled from any state
 * before completed. Approval commits the governor's calendar and the travel budget, so what decides
 * those is frozen from then on.
 */

export type VisitAction = "approve" | "confirm" | "complete" | "cancel";

/** The rules a visit's life cycle names when it refuses (the `rule` of a 409 problem). */
export const VISIT_RULES = {
  vendorQuotes: "vendor-quotes",
  governorCalendar: "governor-calendar",
  fixedOnApproval: "fixed-on-approval",
} as const;

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

/** The status after the action, or the refusal naming the current state (or the rule broken). */
export function nextStatus(
  visit: { status: VisitStatus; direction: Direction; costEstimate: { quotes: readonly VendorQuote[] } },
  action: VisitAction,
): { readonly ok: true; readonly status: VisitStatus } | { readonly ok: false; readonly refusal: Refusal } {
  const current = visit.status;

  if (action === "cancel") {
    if (current === "completed" || current === "cancelled") {
      return refused(
        refuse.conflict(`${capitalized(withArticle(current))} visit cannot be cancelled`, current, { action }),
      );
    }
    return { ok: true, status: "cancelled" };
  }

  const step = FORWARD[action];
  if (current !== step.from) {
    return refused(
      refuse.conflict(
        `Only ${withArticle(step.from)} visit can be ${PAST_PARTICIPLE[action]}; this one is ${current}`,
        current,
        { action },
      ),
    );
  }

  if (action === "approve" && visit.direction === "outbound") {
    const vendors = distinctVendorCount(visit.costEstimate.quotes);
    if (vendors < MIN_QUOTES_FOR_OUTBOUND_APPROVAL) {
      return refused(
        refuse.rule(
          VISIT_RULES.vendorQuotes,
          `An outbound visit needs quotes from at least ${MIN_QUOTES_FOR_OUTBOUND_APPROVAL} different vendors ` +
            `before approval; this ${current} visit has ${vendors === 0 ? "none" : `only ${vendors}`}`,
          { currentStatus: current, action, vendors, required: MIN_QUOTES_FOR_OUTBOUND_APPROVAL },
        ),
      );
    }
  }

  return { ok: true, status: step.to };
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
 * Why a change is not allowed in the visit's state, or undefined when it is. Any field not fixed on
 * approval (itinerary, members, purposeStatement, priority, purpose, conferenceId) may change until
 * the visit is completed or cancelled.
 */
export function editRefusal(visit: { status: VisitStatus }, changedFields: readonly string[]): Refusal | undefined {
  const current = visit.status;
  if (FINAL_STATES.includes(current)) {
    return refuse.conflict(`${capitalized(withArticle(current))} visit cannot be edited`, current, { action: "edit" });
  }
  if (current === "proposed") return undefined;

  const fixed = [...new Set(changedFields.filter((field) => FIELDS_FIXED_ON_APPROVAL.includes(field)))];
  if (fixed.length === 0) return undefined;
  return refuse.rule(
    VISIT_RULES.fixedOnApproval,
    `${fixed.join(", ")} can change only while a visit is proposed; this one is ${current}`,
    { currentStatus: current, action: "edit", fields: fixed },
  );
}
