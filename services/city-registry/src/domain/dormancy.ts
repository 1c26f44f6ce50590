import { RelationDormant } from "@cdp/contracts";
import { type Decided, decided, event, refuse, refused } from "@cdp/lambda-kit/decision";
import { addMonths, tokyoDate } from "./dates.ts";
import type { Partner, RelationStatus } from "./model.ts";
import { type PartnerCollection, partnerNotFound } from "./partners.ts";

/** The strategy asks to "review and revitalize" relations: two years without exchange marks one dormant. */
export const DORMANCY_MONTHS = 24;

/**
 * The latest exchange on record: an agreement signed, a visit completed, a courtesy call that took place, a project
 * under way on or before today.
 */
export function lastExchangeOn(
  exchanges: {
    agreements: readonly { signedOn: string }[];
    visits: readonly { endDate: string }[];
    projects: readonly { startDate: string; endDate: string | null; status: string }[];
    calls?: readonly { date: string }[];
  },
  today: string,
): string | null {
  const days = [
    ...exchanges.agreements.map((a) => a.signedOn),
    ...exchanges.visits.map((v) => v.endDate),
    ...(exchanges.calls ?? []).map((c) => c.date),
    ...exchanges.projects
      .filter((p) => p.status !== "cancelled" && p.startDate <= today)
      .map((p) => (p.endDate !== null && p.endDate < today ? p.endDate : today)),
  ].filter((day) => day <= today);
  return days.reduce<string | null>((latest, day) => (latest === null || day > latest ? day : latest), null);
}

/**
 * An established relation with no exchange (visit, agreement, project) in the last 24 months is dormant.
 * An exchange on the cut-off day itself still counts as within the window.
 */
export function isDormant(status: RelationStatus, lastExchange: string | null, today: string): boolean {
  if (status !== "established") return false;
  const cutoff = addMonths(today, -DORMANCY_MONTHS);
  return lastExchange === null || lastExchange < cutoff;
}

/** The rule a dormancy mark breaks while the relation has had an exchange within the window. */
export const DORMANT_AFTER_24_MONTHS = "dormant-after-24-months-without-exchange";

/**
 * Marks an established relation with no exchange in 24 months dormant (RelationDormant). Any other
 * relation is a conflict naming its status; a recent exchange breaks the dormancy rule.
 */
export function markDormant(
  current: PartnerCollection | undefined,
  partnerId: string,
  now: Date,
): Decided<Partner, { readonly lastExchangeOn: string | null }> {
  if (!current) return refused(partnerNotFound(partnerId));
  const before = current.partner;
  const today = tokyoDate(now);
  if (before.relation.status !== "established") {
    return refused(
      refuse.conflict(
        `Only an established relation becomes dormant; ${partnerId}'s is ${before.relation.status}`,
        before.relation.status,
      ),
    );
  }
  const last = lastExchangeOn(current, today);
  if (!isDormant(before.relation.status, last, today)) {
    return refused(
      refuse.rule(
        DORMANT_AFTER_24_MONTHS,
        `${partnerId}'s last exchange, on ${last}, is within ${DORMANCY_MONTHS} months`,
        {
          lastExchangeOn: last,
        },
      ),
    );
  }
  const partner: Partner = {
    ...before,
    relation: { status: "dormant", since: today },
    version: before.version + 1,
    updatedAt: now.toISOString(),
  };
  return decided({
    state: partner,
    expectedVersion: before.version,
    events: [event(RelationDormant, { partnerId, lastExchangeOn: last, since: today })],
    audit: {
      entity: `partner#${partnerId}`,
      action: "relation.dormant",
      beforeVersion: before.version,
      afterVersion: partner.version,
    },
    lastExchangeOn: last,
  });
}
