import { SEED_PARTNERS } from "@cdp/city-registry/seed-data";
import { addDays } from "@cdp/contracts";
import type { VisitInput } from "@cdp/visit-scheduling/domain/model";

/**
 * The data the load scenarios send: which partners to list, and visit proposals that are all approved. A visit's
 * approval is refused when a head-level visit would take a day of the governor's another one holds, and, when it
 * is outbound, without quotes from two vendors (services/visit-scheduling/src/domain/lifecycle.ts, clash.ts); the
 * annual plan's trip cap and budget only rank trips, they refuse nothing. So every generated visit lasts one day
 * of its own (the i-th on `firstDay` + i): no two share a day, and every outbound one brings two vendors' quotes.
 */

/** Listed by `GET /partners?category=`: Tokyo's sister and friendship cities and states. */
export const PARTNER_CATEGORY = "friendship-city";

/** The ids of the seeded partners in a category. */
export function seededPartnersOf(category: string): string[] {
  return SEED_PARTNERS.filter(({ partner }) => partner.categories.some((c) => c.type === category)).map(
    ({ partner }) => partner.id,
  );
}

/** What the i-th visit is, in turn: a quarter of them head-level, so they take the governor's days. */
const KINDS = [
  { direction: "inbound", level: "head" },
  { direction: "inbound", level: "deputy" },
  { direction: "outbound", level: "official" },
  { direction: "outbound", level: "deputy" },
] as const;

/** The i-th visit of a series starting on `firstDay`: on its own day, with a partner of `partnerIds` in turn. */
export function visitBody(index: number, firstDay: string, partnerIds: readonly string[]): VisitInput {
  const kind = KINDS[index % KINDS.length] as (typeof KINDS)[number];
  const day = addDays(firstDay, index);
  const partnerId = partnerIds[index % partnerIds.length];
  if (!partnerId) throw new Error("no partner to visit");
  const inbound = kind.direction === "inbound";
  return {
    direction: kind.direction,
    partnerIds: [partnerId],
    delegationHead: {
      name: { ja: `代表者 ${index}`, en: `Delegation head ${index}` },
      title: inbound ? { ja: "市長", en: "Mayor" } : { ja: "副知事", en: "Vice Governor" },
      level: kind.level,
    },
    purpose: "relationship-building",
    purposeStatement: { ja: "友好関係の強化", en: "Strengthening the friendship" },
    priority: (index % 5) + 1,
    startDate: day,
    endDate: day,
    itinerary: [
      { date: day, time: "10:00", place: inbound ? "東京都庁" : "City Hall", activity: "Courtesy call" },
      { date: day, time: "14:00", place: inbound ? "東京ビッグサイト" : "Harbour", activity: "Site visit" },
    ],
    members: [
      { name: { ja: "随行者 一", en: "Member One" }, role: "Interpreter", personal: { passportNumber: "TK1234567" } },
      { name: { ja: "随行者 二", en: "Member Two" }, role: "Protocol officer", personal: { dietaryNotes: "None" } },
    ],
    costEstimate: {
      breakdown: [
        { item: inbound ? "Reception" : "Air fares", amountYen: 1_200_000 },
        { item: inbound ? "Interpretation" : "Hotel", amountYen: 300_000 },
      ],
      quotes: inbound
        ? []
        : [
            { vendor: "JTB", amountYen: 1_450_000, receivedOn: addDays(day, -60) },
            { vendor: "HIS", amountYen: 1_520_000, receivedOn: addDays(day, -59) },
          ],
    },
  };
}

/**
 * The visits `GET /visits?from=&to=` lists: made (proposed and approved) before that scenario, in a period
 * of their own that the write scenario's visits never reach.
 */
export const LISTED_VISITS = { firstDay: "2035-04-01", count: 40, from: "2035-04-01", to: "2035-04-30" } as const;

/** Where the write scenario's visits start; it makes one a day from there on (thousands: years ahead). */
export const PROPOSED_VISITS_FIRST_DAY = "2040-01-01";
