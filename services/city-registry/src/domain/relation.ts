import type { RelationBasis } from "@cdp/contracts";
import { laterOf } from "./dates.ts";
import type { AgreementType, RecordedVisit } from "./model.ts";

/** Agreement types that make a relation concrete on their signing day. */
const CONCRETE_AGREEMENTS: ReadonlySet<AgreementType> = new Set([
  "sister-friendship",
  "policy-cooperation",
  "joint-statement",
]);

export interface Establishment {
  readonly on: string;
  readonly basis: RelationBasis;
}

function earliestBy<T>(items: readonly T[], key: (item: T) => string): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || key(item) < key(best)) best = item;
  return best;
}

/**
 * When reciprocal head-level visits are complete: the first completed visit of Tokyo's governor to
 * the partner and the first completed visit of the partner's head to Tokyo; the later end date of
 * the two. Null while either is missing.
 */
export function reciprocalVisitsCompleteOn(visits: readonly RecordedVisit[]): string | null {
  const headVisits = visits.filter((v) => v.leaderLevel === "head");
  const firstOutbound = earliestBy(
    headVisits.filter((v) => v.direction === "outbound"),
    (v) => `${v.endDate}${v.startDate}`,
  );
  const firstInbound = earliestBy(
    headVisits.filter((v) => v.direction === "inbound"),
    (v) => `${v.endDate}${v.startDate}`,
  );
  if (!firstOutbound || !firstInbound) return null;
  return laterOf(firstOutbound.endDate, firstInbound.endDate);
}

/**
 * A relation is concrete from the earliest of: the signing day of its first sister-friendship,
 * policy-cooperation or joint-statement agreement, or the day reciprocal head-level visits are complete.
 * On a tie the agreement is named as the basis: it is the formal instrument.
 */
export function establishment(
  agreements: readonly { type: AgreementType; signedOn: string }[],
  visits: readonly RecordedVisit[],
): Establishment | null {
  const firstAgreement = earliestBy(
    agreements.filter((a) => CONCRETE_AGREEMENTS.has(a.type)),
    (a) => a.signedOn,
  );
  const visitsOn = reciprocalVisitsCompleteOn(visits);
  if (firstAgreement && (!visitsOn || firstAgreement.signedOn <= visitsOn)) {
    return { on: firstAgreement.signedOn, basis: "agreement" };
  }
  return visitsOn ? { on: visitsOn, basis: "reciprocal-visits" } : null;
}
