import { decided, type Refusal, refuse, refused } from "@cdp/lambda-kit/decision";
import { LEDGER_RULES, type LedgerDecided, type LedgerView, postHold, type Stamp, voidHold } from "./decide.ts";
import type { ApprovalRequest, Hold, RequestRecord } from "./model.ts";

/**
 * Holds acted on by the requester's reference rather than by their id: `FundHoldPostRequested.v1` and
 * `FundHoldVoidRequested.v1` from another service. The reference leads, through its request record, to the
 * hold, or to the approval request that waits for a second person (and, once approved, to its hold), or to
 * why there is none. Posting and voiding are then the ledger's own `postHold` and `voidHold`, so the
 * journals and events are those of the HTTP routes. Events come at least once and in any order: every rule
 * here makes a repeat or a late event change nothing, and says which refusals may pass on a retry.
 */

export const VOIDED_BEFORE_REQUEST = "voided-before-request";
const REJECTED_PREFIX = "rejected:";

/** What a request record's result names. */
export type RequestOutcome =
  | { readonly kind: "made"; readonly id: string }
  | { readonly kind: "rejected"; readonly reason: string }
  | { readonly kind: "voided-before-request" };

export function requestOutcomeOf(result: string): RequestOutcome {
  if (result === VOIDED_BEFORE_REQUEST) return { kind: "voided-before-request" };
  if (result.startsWith(REJECTED_PREFIX)) return { kind: "rejected", reason: result.slice(REJECTED_PREFIX.length) };
  return { kind: "made", id: result };
}

export const rejectedResult = (reason: string) => `${REJECTED_PREFIX}${reason}`;

/** What the store found under a reference: its record, and the approval request and hold the record leads to. */
export interface ReferenceState {
  readonly record: RequestRecord | undefined;
  readonly approval: ApprovalRequest | undefined;
  readonly hold: Hold | undefined;
}

export interface ReferenceCommand {
  readonly requester: string;
  readonly reference: string;
}

/** Where a reference leads: its hold, or why there is none, for now or for good. */
type Located =
  | { readonly kind: "hold"; readonly hold: Hold }
  | { readonly kind: "unseen" }
  | { readonly kind: "awaiting-approval"; readonly approval: ApprovalRequest }
  /** No hold was or will be placed under it (rejected, voided before the request), or the store found none. */
  | { readonly kind: "none"; readonly refusal: Refusal };

function locate(found: ReferenceState, command: ReferenceCommand): Located {
  const { record, approval, hold } = found;
  if (!record) return { kind: "unseen" };
  const name = `${command.requester}'s request ${command.reference}`;
  const outcome = requestOutcomeOf(record.result);
  if (outcome.kind === "voided-before-request") {
    return {
      kind: "none",
      refusal: refuse.conflict(`${name} was voided before it came: no hold was placed`, VOIDED_BEFORE_REQUEST),
    };
  }
  if (outcome.kind === "rejected") {
    return {
      kind: "none",
      refusal: refuse.conflict(`${name} was rejected (${outcome.reason}): no hold was placed`, "rejected", {
        reason: outcome.reason,
      }),
    };
  }
  if (hold && (hold.id === outcome.id || hold.id === approval?.resultId)) return { kind: "hold", hold };
  if (approval?.id === outcome.id && approval.status === "awaiting-approval") {
    return { kind: "awaiting-approval", approval };
  }
  if (approval?.id === outcome.id && approval.status === "rejected") {
    return {
      kind: "none",
      refusal: refuse.conflict(`${name} was rejected by ${approval.decidedBy ?? "an approver"}: no hold`, "rejected"),
    };
  }
  // The record names something the store did not find: never written so, hence not found (a data fault).
  return { kind: "none", refusal: refuse.notFound(`The hold of ${name} (${outcome.id})`) };
}

/**
 * Why a hold no longer held cannot take a posting of money, where that is a fact someone must act on rather
 * than a repeat: its expiry released it, or its year was closed (which voids every hold still held). A post of
 * a hold posted already, or voided by request, is a repeat or a contradiction of the requester's own: the
 * conflict `postHold` answers, which the consumer ignores.
 */
function tooLateToPost(view: LedgerView, hold: Hold): Refusal | undefined {
  if (hold.status === "expired") {
    return refuse.rule(
      LEDGER_RULES.holdExpired,
      `Hold ${hold.id} (${hold.reference}) expired on ${hold.expiresOn ?? "its expiry day"} and was released: nothing is posted; ask for a new hold`,
      { holdId: hold.id, expiresOn: hold.expiresOn },
    );
  }
  if (hold.status === "voided" && view.fiscalYears.get(hold.fiscalYear)?.status === "closed") {
    return refuse.rule(
      LEDGER_RULES.fiscalYearClosed,
      `FY${hold.fiscalYear} is closed and hold ${hold.id} (${hold.reference}) was released with it: nothing is posted`,
      { holdId: hold.id, fiscalYear: hold.fiscalYear },
    );
  }
  return undefined;
}

/**
 * "Post this much of the hold I asked for, release the rest"; 0 releases all of it, as a void (and is
 * answered by `FundHoldVoided.v1`). Refusals, and what the consumer does with them:
 * - not-found (retried): the reference is unseen, or its request still awaits approval: the request or the
 *   approval may come yet;
 * - conflict (ignored): the hold is resolved already (a repeated post, a post after a void, a post of 0 after
 *   an expiry), or no hold was ever placed under the reference (rejected, voided before the request);
 * - rule-broken (dead-lettered, naming the rule): more than is held (`post-exceeds-hold`: ask for a top-up hold
 *   under a reference of its own), an expired hold (`hold-expired`), a closed year (`fiscal-year-closed`), a
 *   year past its settlement period (`fiscal-year-ended`) or not started (`fiscal-year-not-started`).
 */
export function postByReference(
  view: LedgerView,
  found: ReferenceState,
  command: ReferenceCommand & { readonly amountYen: number },
  stamp: Stamp,
): LedgerDecided<Hold> {
  const located = locate(found, command);
  switch (located.kind) {
    case "unseen":
      return refused(refuse.notFound(`A hold requested by ${command.requester} under ${command.reference}`));
    case "awaiting-approval":
      return refused(
        refuse.notFound(`A hold for ${command.reference} (approval request ${located.approval.id} awaits approval)`),
      );
    case "none":
      return refused(located.refusal);
    case "hold":
      break;
  }
  const { hold } = located;
  if (command.amountYen === 0) return voidHold(view, hold, { holdId: hold.id, reason: "voided" }, stamp);
  const late = tooLateToPost(view, hold);
  if (late) return refused(late);
  return postHold(view, hold, { holdId: hold.id, amountYen: command.amountYen }, stamp);
}

/** The request waiting for a second person is withdrawn by its requester: rejected, so no hold ever results. */
export function withdraw(
  request: ApprovalRequest,
  command: ReferenceCommand & { readonly reason: string },
  stamp: Stamp,
): LedgerDecided<ApprovalRequest> {
  if (request.status !== "awaiting-approval") {
    return refused(refuse.conflict(`Approval request ${request.id} is ${request.status} already`, request.status));
  }
  if (request.requester !== command.requester || request.reference !== command.reference) {
    return refused(refuse.notFound(`Approval request ${request.id} of ${command.requester} for ${command.reference}`));
  }
  const next: ApprovalRequest = {
    ...request,
    status: "rejected",
    decidedBy: stamp.actor,
    decidedAt: stamp.now.toISOString(),
    reason: `Withdrawn by ${command.requester}: ${command.reason}`,
    version: request.version + 1,
  };
  return decided({
    state: next,
    expectedVersion: request.version,
    journals: [],
    approval: { next, expectedVersion: request.version },
    // The requester asked for it; FundHoldRejected.v1 has no reason for "withdrawn", and an approver did not reject.
    events: [],
    audit: {
      entity: `approval/${request.id}`,
      action: "withdraw",
      beforeVersion: request.version,
      afterVersion: next.version,
    },
  });
}

/** A void before its request: the reference is recorded as voided, so the request, when it comes, places nothing. */
function closeBeforeRequest(
  command: ReferenceCommand & { readonly reason: string; readonly eventId?: string | undefined },
  stamp: Stamp,
): LedgerDecided<RequestRecord> {
  const record: RequestRecord = {
    requester: command.requester,
    reference: command.reference,
    result: VOIDED_BEFORE_REQUEST,
    ...(command.eventId && { eventId: command.eventId }),
    reason: command.reason,
    closedAt: stamp.now.toISOString(),
  };
  return decided({
    state: record,
    expectedVersion: null,
    journals: [],
    request: { next: record },
    events: [],
    audit: {
      entity: `request/${command.requester}/${command.reference}`,
      action: VOIDED_BEFORE_REQUEST,
      beforeVersion: null,
      afterVersion: 1,
    },
  });
}

/**
 * "Void the hold I asked for": the hold is voided (`FundHoldVoided.v1`, as `POST /holds/{id}/void`); a request
 * awaiting approval is withdrawn; a reference not seen yet is closed before its request. Nothing else is
 * written: a hold resolved already (posted, voided, expired, or voided when its year closed) and a reference
 * under which no hold was placed are conflicts, which the consumer ignores. The state it makes is the hold, the
 * approval request, or the reference's record.
 */
export function voidByReference(
  view: LedgerView,
  found: ReferenceState,
  command: ReferenceCommand & { readonly reason: string; readonly eventId?: string | undefined },
  stamp: Stamp,
): LedgerDecided<Hold | ApprovalRequest | RequestRecord> {
  const located = locate(found, command);
  switch (located.kind) {
    case "unseen":
      return closeBeforeRequest(command, stamp);
    case "awaiting-approval":
      return withdraw(located.approval, command, stamp);
    case "none":
      return refused(located.refusal);
    case "hold":
      return voidHold(view, located.hold, { holdId: located.hold.id, reason: "voided" }, stamp);
  }
}
