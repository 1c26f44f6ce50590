import type { EventContract } from "@cdp/contracts";
import type * as z from "zod/v4/core";

/**
 * Decide, then commit. A domain function takes the current state and a command and returns either a
 * Decision (what to write, what to publish, what to audit, what must still hold when it is written)
 * or a typed Refusal. It does no I/O: this module imports neither the AWS SDK nor HTTP. A store
 * writes a decision in one transaction; the HTTP kit turns refusals into problem+json and the event
 * kit into ignore, retry or dead-letter.
 */

/** One offending field: a path into the request (`body.name.en`) and what is wrong with it. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type Refusal =
  /** The entity the command names does not exist. */
  | { readonly kind: "not-found"; readonly what: string }
  /** Not allowed in the entity's current state, which is named (e.g. "completed"). */
  | {
      readonly kind: "conflict";
      readonly detail: string;
      readonly currentState: string;
      readonly facts?: Readonly<Record<string, unknown>>;
    }
  /** A business rule would break; the rule is named (e.g. "governor-calendar", "vendor-quotes"). */
  | {
      readonly kind: "rule-broken";
      readonly rule: string;
      readonly detail: string;
      readonly facts?: Readonly<Record<string, unknown>>;
    }
  /** The version the caller read is not the current one. */
  | { readonly kind: "stale"; readonly currentVersion: number }
  /** The command is well formed but does not hold together with the state (names every field). */
  | { readonly kind: "invalid"; readonly errors: readonly FieldError[] };

export const refuse = {
  notFound: (what: string): Refusal => ({ kind: "not-found", what }),
  conflict: (detail: string, currentState: string, facts?: Readonly<Record<string, unknown>>): Refusal => ({
    kind: "conflict",
    detail,
    currentState,
    ...(facts && { facts }),
  }),
  rule: (rule: string, detail: string, facts?: Readonly<Record<string, unknown>>): Refusal => ({
    kind: "rule-broken",
    rule,
    detail,
    ...(facts && { facts }),
  }),
  stale: (currentVersion: number): Refusal => ({ kind: "stale", currentVersion }),
  invalid: (errors: readonly FieldError[]): Refusal => ({ kind: "invalid", errors }),
};

/** A refusal on its way out of a store or a use case, to the kit that maps it. */
export class Refused extends Error {
  override readonly name = "Refused";

  constructor(readonly refusal: Refusal) {
    super(describeRefusal(refusal));
  }
}

export function describeRefusal(refusal: Refusal): string {
  switch (refusal.kind) {
    case "not-found":
      return `${refusal.what} does not exist`;
    case "conflict":
    case "rule-broken":
      return refusal.detail;
    case "stale":
      return `The resource has changed: its current version is ${refusal.currentVersion}. Read it again and retry.`;
    case "invalid":
      return `The request has invalid fields: ${[...new Set(refusal.errors.map((e) => e.path))].join(", ")}`;
  }
}

/** An event to publish once the decision is written; validated against its contract by the store. */
export interface PendingEvent {
  readonly contract: EventContract<string, string, z.$ZodType>;
  readonly detail: unknown;
}

/** Typed at the call site, erased in the decision: the detail must be what the contract takes. */
export function event<Schema extends z.$ZodType>(
  contract: EventContract<string, string, Schema>,
  detail: Omit<z.input<Schema>, "correlationId" | "metadata">,
): PendingEvent {
  return { contract, detail };
}

/** Who changed what, from which version to which; never the changed content itself. */
export interface AuditEntry {
  readonly entity: string;
  readonly action: string;
  readonly beforeVersion: number | null;
  readonly afterVersion: number | null;
}

/**
 * What a command decided. `expectedVersion` is the version the decision was made on (null: the
 * entity must not exist yet); the store writes on that condition, so a concurrent change makes the
 * write fail rather than overwrite. Services add what else must hold (days to lock, a quota) in `Extra`.
 */
export type Decision<State, Extra extends object = object> = {
  readonly state: State;
  readonly expectedVersion: number | null;
  readonly events: readonly PendingEvent[];
  readonly audit: AuditEntry;
} & Extra;

export type Decided<State, Extra extends object = object> =
  | { readonly ok: true; readonly decision: Decision<State, Extra> }
  | { readonly ok: false; readonly refusal: Refusal };

export const decided = <State, Extra extends object = object>(
  decision: Decision<State, Extra>,
): Decided<State, Extra> => ({ ok: true, decision });

export const refused = (refusal: Refusal): { readonly ok: false; readonly refusal: Refusal } => ({
  ok: false,
  refusal,
});

/** The decision, or the refusal thrown as `Refused` for the kit to map. */
export function orRefuse<State, Extra extends object>(outcome: Decided<State, Extra>): Decision<State, Extra> {
  if (!outcome.ok) throw new Refused(outcome.refusal);
  return outcome.decision;
}

/**
 * What an event consumer does with a refusal. A stale version or a lost race may pass on retry; a
 * conflict means the event's effect is already there or can no longer happen; a missing entity and
 * a broken rule are the service's to decide (each consumer documents which).
 */
export type RefusalOutcome = "ignore" | "retry" | "dead-letter";

export const DEFAULT_REFUSAL_OUTCOMES: Readonly<Record<Refusal["kind"], RefusalOutcome>> = {
  "not-found": "dead-letter",
  conflict: "ignore",
  "rule-broken": "dead-letter",
  stale: "retry",
  invalid: "dead-letter",
};
