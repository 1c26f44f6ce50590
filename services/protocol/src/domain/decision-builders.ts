import type { Decided, PendingEvent, Refusal } from "@cdp/lambda-kit/decision";
import { safeParse } from "zod/v4/core";

/** What the protocol office's fixtures share: deterministic ids, and reading a decision, a refusal or an event. */

/** Ids in order (`<prefix>-1`, `<prefix>-2`, …), so a decision's new ids can be named. */
export function sequentialIds(prefix = "id"): () => string {
  let next = 0;
  return () => `${prefix}-${++next}`;
}

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

/** An event as the outbox will write it (with its identity at `occurredAt`): parsed by its contract, or an error. */
export function publishedAt(pending: PendingEvent | undefined, occurredAt: string) {
  if (!pending) throw new Error("no event");
  const metadata = { eventId: "e-1", correlationId: "c-1", occurredAt };
  const parsed = safeParse(pending.contract.detail, { ...(pending.detail as object), metadata });
  if (!parsed.success) throw new Error(`event does not match ${pending.contract.detailType}: ${parsed.error.message}`);
  return { detailType: pending.contract.detailType, detail: parsed.data as Record<string, unknown> };
}
