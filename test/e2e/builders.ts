import type { RequestBody } from "@cdp/api-client";
import { addDays, tokyoDate } from "@cdp/contracts";

/**
 * Request bodies the end-to-end suites share: each valid as it is, with what a test cares about passed in or
 * overridden. A suite says what differs, never a whole body again.
 */

type PartnerBody = RequestBody<"/partners", "post">;
type Contact = NonNullable<PartnerBody["contacts"]>[number];

/** A partner contact: the officer a partner's notices go to. */
export const aContact = (email: string, overrides: Partial<Contact> = {}): Contact => ({
  name: { ja: "担当", en: "Officer" },
  role: "International relations",
  email,
  preferredLanguage: "en",
  ...overrides,
});

/** A city in Vietnam working on waterworks, with one contact at `intl-<id>@example.org` unless others are given. */
export const aPartner = (id: string, overrides: Partial<PartnerBody> = {}): PartnerBody => ({
  id,
  name: { ja: "テスト市", en: "Test City" },
  kind: "city",
  country: "VN",
  worldRegion: "southeast-asia",
  cooperationAreas: ["waterworks"],
  contacts: [aContact(`intl-${id}@example.org`)],
  ...overrides,
});

/** A memorandum on waterworks, signed 2026-04-01, up for review a year later. */
export const anAgreement = (
  overrides: Partial<RequestBody<"/partners/{id}/agreements", "post">> = {},
): RequestBody<"/partners/{id}/agreements", "post"> => ({
  type: "policy-cooperation",
  title: { ja: "水道分野の協力に関する覚書", en: "MOU on waterworks cooperation" },
  signedOn: "2026-04-01",
  areas: ["waterworks"],
  reviewOn: "2027-04-01",
  ...overrides,
});

/**
 * An inbound visit by a deputy mayor: the governor does not receive it (no calendar to clash with other suites'
 * visits) and it has no cost to quote, so its approval depends on nothing else.
 */
export const anInboundVisit = (
  partnerId: string,
  overrides: Partial<RequestBody<"/visits", "post">> = {},
): RequestBody<"/visits", "post"> => ({
  direction: "inbound",
  partnerIds: [partnerId],
  delegationHead: {
    name: { ja: "副市長", en: "Deputy Mayor" },
    title: { ja: "副市長", en: "Deputy Mayor" },
    level: "deputy",
  },
  purpose: "relationship-building",
  purposeStatement: { ja: "関係構築のための訪問", en: "A visit to build relations" },
  priority: 2,
  startDate: "2031-06-10",
  endDate: "2031-06-12",
  itinerary: [],
  members: [],
  costEstimate: { breakdown: [], quotes: [] },
  ...overrides,
});

/** A staff-exchange programme with a partner: `perYear` placements each way (4 unless said), 10 to 184 days each. */
export const anExchangeProgramme = (
  partnerId: string,
  perYear = 4,
  overrides: Partial<RequestBody<"/exchange-programmes", "post">> = {},
): RequestBody<"/exchange-programmes", "post"> => ({
  partnerId,
  name: { ja: "職員交流", en: "Staff exchange" },
  placementsPerYear: { outbound: perYear, inbound: perYear },
  totalDaysPerYear: { outbound: 184 * perYear, inbound: 184 * perYear },
  minDays: 10,
  maxDays: 184,
  costNorms: {
    monthlyAllowanceYen: 300_000,
    monthlyHousingYen: 150_000,
    monthlyInsuranceYen: 10_000,
    travelYen: 90_000,
  },
  ...overrides,
});

/**
 * An inbound placement of a partner's waterworks engineer, starting `startsInDays` from today in Tokyo (60 unless
 * said; negative: it has begun) and lasting `days`.
 */
export const aPlacement = (
  programmeId: string,
  options: { staffId: string; startsInDays?: number; days?: number },
  overrides: Partial<RequestBody<"/placements", "post">> = {},
): RequestBody<"/placements", "post"> => {
  const startDate = addDays(tokyoDate(new Date()), options.startsInDays ?? 60);
  return {
    programmeId,
    direction: "inbound",
    person: { staffId: options.staffId, name: { ja: "グエン・ヴァン・アン", en: "Nguyen Van An" } },
    personal: { passportNumber: "C1234567" },
    hostOrganisation: { ja: "東京都水道局", en: "Bureau of Waterworks, TMG" },
    hostDepartment: { ja: "浄水部", en: "Water Purification Division" },
    startDate,
    endDate: addDays(startDate, options.days ?? 60),
    purpose: { ja: "浄水技術の研修", en: "Training in water purification" },
    fields: ["waterworks"],
    ...overrides,
  };
};

/**
 * The governor's trip to a partner (outbound, head level), with its cost quoted by two vendors as the trip guideline
 * asks: approving it takes the governor's days from `startDate` to `endDate`.
 */
export const anOutboundTrip = (
  partnerId: string,
  startDate: string,
  endDate: string,
  overrides: Partial<RequestBody<"/visits", "post">> = {},
): RequestBody<"/visits", "post"> => ({
  direction: "outbound",
  partnerIds: [partnerId],
  delegationHead: {
    name: { ja: "東京都知事", en: "Governor of Tokyo" },
    title: { ja: "知事", en: "Governor" },
    level: "head",
  },
  purpose: "relationship-building",
  purposeStatement: { ja: "関係構築", en: "Building relations" },
  priority: 1,
  startDate,
  endDate,
  costEstimate: {
    breakdown: [{ item: "travel", amountYen: 12_345_000 }],
    quotes: [
      { vendor: "JTB", amountYen: 12_345_000, receivedOn: tokyoDate(new Date()) },
      { vendor: "Kinki Nippon Tourist", amountYen: 12_900_000, receivedOn: tokyoDate(new Date()) },
    ],
  },
  ...overrides,
});
