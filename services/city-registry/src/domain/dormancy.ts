import { addMonths } from "./dates.ts";
import type { RelationStatus } from "./model.ts";

/** The strategy asks to "review and revitalize" relations: two years without exchange marks one dormant. */
export const DORMANCY_MONTHS = 24;

/** The latest exchange on record: an agreement signed, a visit completed, a project under way on or before today. */
export function lastExchangeOn(
  exchanges: {
    agreements: readonly { signedOn: string }[];
    visits: readonly { endDate: string }[];
    projects: readonly { startDate: string; endDate: string | null; status: string }[];
  },
  today: string,
): string | null {
  const days = [
    ...exchanges.agreements.map((a) => a.signedOn),
    ...exchanges.visits.map((v) => v.endDate),
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
