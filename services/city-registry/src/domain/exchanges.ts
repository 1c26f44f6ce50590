import { AgreementConcluded, type RelationBasis, RelationEstablished } from "@cdp/contracts";
import { type Decided, decided, event, type PendingEvent, refuse, refused } from "@cdp/lambda-kit/decision";
import { tokyoDate } from "./dates.ts";
import type { Agreement, AgreementInput, Partner, RecordedCall, RecordedVisit } from "./model.ts";
import { type PartnerCollection, partnerNotFound } from "./partners.ts";
import { establishment } from "./relation.ts";

/**
 * An exchange (an agreement concluded, a visit completed) can make a relation concrete. These
 * decisions say when it became concrete, revive a dormant relation, and announce a relation once.
 */

/** The index item that files a concrete relation under its day, for the targets report. */
export interface EstablishedEntry {
  readonly partnerId: string;
  readonly on: string;
  readonly basis: RelationBasis;
}

export interface ExchangeOutcome {
  /** The ESTABLISHED index item to write: set when the day the relation became concrete (or why) is new or moved. */
  readonly establishedIndex: EstablishedEntry | null;
}

export interface ConcludeAgreement {
  readonly partnerId: string;
  /** Chosen by the caller so that deciding stays pure. */
  readonly agreementId: string;
  readonly input: AgreementInput;
}

/** The rule an agreement breaks when it claims to renew one the partner never concluded. */
export const SUPERSEDES_OWN_AGREEMENT = "supersedes-own-agreement";

export function concludeAgreement(
  current: PartnerCollection | undefined,
  command: ConcludeAgreement,
  now: Date,
): Decided<Partner, ExchangeOutcome & { readonly agreement: Agreement }> {
  const { partnerId, agreementId, input } = command;
  if (!current) return refused(partnerNotFound(partnerId));
  if (input.supersedes && !current.agreements.some((a) => a.id === input.supersedes)) {
    return refused(
      refuse.rule(SUPERSEDES_OWN_AGREEMENT, `Agreement ${input.supersedes} is not one of ${partnerId}'s agreements`, {
        supersedes: input.supersedes,
      }),
    );
  }
  const agreement: Agreement = {
    ...input,
    id: agreementId,
    partnerId,
    reviewOn: input.reviewOn ?? null,
    expiresOn: input.expiresOn ?? null,
    supersedes: input.supersedes ?? null,
    createdAt: now.toISOString(),
  };
  const after = afterExchange(current, [...current.agreements, agreement], current.visits, now);
  return decided({
    state: after.partner,
    expectedVersion: current.partner.version,
    events: [
      event(AgreementConcluded, {
        partnerId,
        agreementId: agreement.id,
        type: agreement.type,
        title: agreement.title,
        signedOn: agreement.signedOn,
        reviewOn: agreement.reviewOn,
      }),
      ...after.events,
    ],
    audit: { entity: `agreement#${agreement.id}`, action: "agreement.concluded", beforeVersion: null, afterVersion: 1 },
    agreement,
    establishedIndex: after.establishedIndex,
  });
}

export interface RecordVisit {
  readonly partnerId: string;
  readonly visit: RecordedVisit;
}

export type VisitRecord = RecordedVisit & { readonly recordedAt: string };

/**
 * A completed visit, recorded once per partner whatever event brings it: a visit already recorded is
 * a conflict (its state: recorded), an unknown partner is not found. Reciprocal head-level visits
 * make the relation concrete on the later end date of the first visit each way.
 */
export function recordVisit(
  current: PartnerCollection | undefined,
  command: RecordVisit,
  now: Date,
): Decided<Partner, ExchangeOutcome & { readonly visit: VisitRecord }> {
  const { partnerId, visit } = command;
  if (!current) return refused(partnerNotFound(partnerId));
  if (current.visits.some((v) => v.visitId === visit.visitId)) {
    return refused(alreadyRecorded(`Visit ${visit.visitId}`, partnerId, { visitId: visit.visitId }));
  }
  return recorded(current, [...current.visits, visit], now, "visit.recorded", {
    visit: { ...visit, recordedAt: now.toISOString() },
  });
}

export interface RecordCall {
  readonly partnerId: string;
  readonly call: RecordedCall;
}

export type CallRecord = RecordedCall & { readonly recordedAt: string };

/**
 * A courtesy call that took place with the partner's mission or delegation, recorded once per partner: an exchange
 * for the dormancy review (a dormant relation with a basis is revived by it), never a basis of a relation itself.
 * A call already recorded is a conflict (its state: recorded); an unknown partner is not found.
 */
export function recordCall(
  current: PartnerCollection | undefined,
  command: RecordCall,
  now: Date,
): Decided<Partner, ExchangeOutcome & { readonly call: CallRecord }> {
  const { partnerId, call } = command;
  if (!current) return refused(partnerNotFound(partnerId));
  if (current.calls.some((c) => c.callId === call.callId)) {
    return refused(alreadyRecorded(`Courtesy call ${call.callId}`, partnerId, { callId: call.callId }));
  }
  // A call is no basis of a relation: the visits it is weighed with are the partner's own.
  return recorded(current, current.visits, now, "call.recorded", { call: { ...call, recordedAt: now.toISOString() } });
}

/** An exchange recorded once per partner: a second time is a conflict, its state "recorded". */
const alreadyRecorded = (what: string, partnerId: string, ids: Readonly<Record<string, string>>) =>
  refuse.conflict(`${what} is already recorded for ${partnerId}`, "recorded", { partnerId, ...ids });

/** The partner after an exchange is recorded, with the audit entry and what the exchange itself writes. */
function recorded<Extra extends object>(
  current: PartnerCollection,
  visits: readonly RecordedVisit[],
  now: Date,
  action: string,
  extra: Extra,
): Decided<Partner, ExchangeOutcome & Extra> {
  const after = afterExchange(current, current.agreements, visits, now);
  return decided({
    state: after.partner,
    expectedVersion: current.partner.version,
    events: after.events,
    audit: {
      entity: `partner#${current.partner.id}`,
      action,
      beforeVersion: current.partner.version,
      afterVersion: after.partner.version,
    },
    establishedIndex: after.establishedIndex,
    ...extra,
  });
}

/**
 * The partner after an exchange. A prospect or engaging relation becomes established from the day it
 * became concrete; a dormant one is revived from today; a suspended one stays suspended (the day is
 * still kept). RelationEstablished is announced the first time only, even if an earlier exchange
 * later moves the day; the index item is rewritten whenever the day or its basis changes.
 */
function afterExchange(
  current: PartnerCollection,
  agreements: readonly Agreement[],
  visits: readonly RecordedVisit[],
  now: Date,
): { partner: Partner; establishedIndex: EstablishedEntry | null; events: PendingEvent[] } {
  const before = current.partner;
  const reached = establishment(agreements, visits);
  let relation = before.relation;
  if (reached && (relation.status === "prospect" || relation.status === "engaging")) {
    relation = { status: "established", since: reached.on };
  } else if (reached && relation.status === "dormant") {
    relation = { status: "established", since: tokyoDate(now) };
  }
  const partner: Partner = {
    ...before,
    relation,
    established: reached ?? before.established,
    version: before.version + 1,
    updatedAt: now.toISOString(),
  };
  const moved =
    reached && (reached.on !== before.established?.on || reached.basis !== before.established.basis) ? reached : null;
  const events =
    reached && before.established === null
      ? [event(RelationEstablished, { partnerId: before.id, establishedOn: reached.on, basis: reached.basis })]
      : [];
  return {
    partner,
    establishedIndex: moved && { partnerId: before.id, on: moved.on, basis: moved.basis },
    events,
  };
}
