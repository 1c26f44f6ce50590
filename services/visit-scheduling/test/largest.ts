import { randomUUID } from "node:crypto";
import { addDays } from "../src/domain/dates.ts";
import { MAX_VISIT_DAYS, VISIT_LIMITS, type VisitInput } from "../src/domain/model.ts";

/**
 * Inputs at their largest allowed, for the limit tests. Text is Japanese, 3 bytes a character in
 * UTF-8 (a UTF-16 code unit each, which is what the schemas count): the most bytes a length allows.
 */

/** `length` characters of three UTF-8 bytes each, ending in `tag` so that texts can differ. */
export const text = (length: number, tag = "") => "東".repeat(length - tag.length) + tag;
export const bilingual = (length: number) => ({ ja: text(length), en: text(length) });
/** The longest `Text()` of the contracts (names, titles, statements). */
export const MAX_TEXT = 500;
export const MAX_YEN = 10_000_000_000;
/** The cancellation reason's maximum. */
export const MAX_REASON = 1000;
/** The conference's maximum of linked visits. */
export const MAX_CONFERENCE_VISITS = 20;

/** A partner id of the longest slug allowed (64 characters), distinct per prefix and number. */
const partnerId = (prefix: string, n: number) =>
  `${prefix}${n}-${"x".repeat(64 - prefix.length - String(n).length - 1)}`;

/** A visit at every maximum: the longest texts, the most of everything, MAX_VISIT_DAYS days, the governor's. */
export function largestVisit(startDate: string, partnerPrefix: string): VisitInput {
  return {
    direction: "outbound",
    partnerIds: Array.from({ length: VISIT_LIMITS.partners }, (_, n) => partnerId(partnerPrefix, n)),
    delegationHead: { name: bilingual(MAX_TEXT), title: bilingual(MAX_TEXT), level: "head" },
    purpose: "international-conference",
    purposeStatement: bilingual(MAX_TEXT),
    priority: 1,
    startDate,
    endDate: addDays(startDate, MAX_VISIT_DAYS - 1),
    itinerary: Array.from({ length: VISIT_LIMITS.itineraryEntries }, (_, n) => ({
      date: addDays(startDate, n % MAX_VISIT_DAYS),
      time: "23:59",
      place: text(VISIT_LIMITS.placeLength),
      activity: text(VISIT_LIMITS.activityLength),
      counterpart: text(VISIT_LIMITS.counterpartLength),
    })),
    members: Array.from({ length: VISIT_LIMITS.members }, () => ({
      name: bilingual(VISIT_LIMITS.memberNameLength),
      role: text(VISIT_LIMITS.memberRoleLength),
      personal: {
        passportNumber: "TZ9876543210",
        dietaryNotes: text(VISIT_LIMITS.notesLength),
        medicalNotes: text(VISIT_LIMITS.notesLength),
      },
    })),
    costEstimate: {
      breakdown: Array.from({ length: VISIT_LIMITS.costLines }, () => ({
        item: text(VISIT_LIMITS.costItemLength),
        amountYen: MAX_YEN,
      })),
      quotes: Array.from({ length: VISIT_LIMITS.quotes }, (_, n) => ({
        vendor: text(VISIT_LIMITS.vendorLength, String(n)),
        amountYen: MAX_YEN,
        receivedOn: startDate,
      })),
    },
    conferenceId: randomUUID(),
  };
}

/** A one-day visit of an official, quick to write: for a conference to link. */
export function smallVisit(startDate: string): VisitInput {
  return {
    direction: "inbound",
    partnerIds: ["seoul"],
    delegationHead: { name: bilingual(10), title: bilingual(10), level: "official" },
    purpose: "international-conference",
    purposeStatement: bilingual(10),
    priority: 3,
    startDate,
    endDate: startDate,
    itinerary: [],
    members: [],
    costEstimate: { breakdown: [], quotes: [] },
  };
}
