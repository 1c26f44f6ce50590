import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { partnerKey } from "@cdp/city-registry/store/keys";
import type { EventMetadata, PartnerContact, VisitNoticeDetail } from "@cdp/contracts";
import type { ServiceManifest } from "@cdp/lambda-kit";
import { Refused } from "@cdp/lambda-kit/decision";
import type { PartnerCopy } from "@cdp/notifications/domain/model";
import {
  aCancelledPlacement,
  aFundedPlacement,
  type PlacementCancelledDetail,
  type PlacementFundedDetail,
} from "@cdp/notifications/domain/placement-builders";
import { keepPartnerCopy } from "@cdp/notifications/partner-copies";
import { NoticeStore } from "@cdp/notifications/store/notice-store";
import { addDays } from "@cdp/visit-scheduling/domain/dates";
import type { Visit, VisitInput } from "@cdp/visit-scheduling/domain/model";
import { fiscalYearOf } from "@cdp/visit-scheduling/domain/plan";
import { VisitScheduling } from "@cdp/visit-scheduling/use-cases";
import type { HttpSample } from "./events.ts";
import { exchangeRouteSamples, exchangeSubscriptionSamples } from "./exchange-samples.ts";
import { heldByEvent, holdRequestedDetail, ledgerRouteSamples } from "./ledger-samples.ts";
import { protocolRouteSamples, protocolSubscriptionSamples } from "./protocol-samples.ts";
import { reportsRouteSamples, reportsSubscriptionSamples } from "./reports-samples.ts";
import { subscriptionSampleKeys } from "./sample-keys.ts";

export { subscriptionKey, subscriptionSampleKeys } from "./sample-keys.ts";

/**
 * One realistic invocation per function, answering 2xx against the seeded data. The benchmark refuses to
 * run when a route or a subscription has no sample here, so a new function can never be silently skipped.
 * Samples run before every invocation: writes get fresh ids, updates the current version, and a request about
 * a visit in some state gets a visit of its own, made just before through the service's own store.
 */

/** A service's store class: built on the document client and its table's name, as its functions build it. */
export type StoreClass<Store> = new (client: DynamoDBDocumentClient, tableName: string) => Store;

export interface SampleContext {
  /** Reads one item of a service's table, for samples that depend on the current state (If-Match). */
  readItem(service: string, key: Readonly<Record<string, string>>): Promise<Record<string, unknown> | undefined>;
  /** A service's own store over its table, for samples that need data made first. */
  store<Store>(service: string, Store: StoreClass<Store>): Store;
  /** A number never given before in this run: 0, 1, 2… */
  serial(): number;
  /** A fresh suffix for ids that must be new on every call. */
  unique(): string;
  /** Today in the business calendar, `YYYY-MM-DD`. */
  today(): string;
}

export type RouteSample = (context: SampleContext) => HttpSample | Promise<HttpSample>;
/** Builds the `detail` of the event a subscription receives; the envelope comes from its contract. */
export type SubscriptionSample = (context: SampleContext) => unknown;

const VISIT_SCHEDULING = "visit-scheduling";
const NOTIFICATIONS = "notifications";

/** The period visit samples ask about: the coming half year, as a planner looks ahead. */
const upcoming = ({ today }: SampleContext) => ({ from: today(), to: addDays(today(), 183) });
const thisFiscalYear = ({ today }: SampleContext) => String(fiscalYearOf(today()));
const CANCELLATION_REASON = "The partner city asked to postpone the visit";

/**
 * The governor's two days in Paris, ready for approval (two vendors quoted). Each trip on days of its own, from
 * a month ahead on: approving takes the governor's days, so no two sample visits may share one.
 */
function governorTrip(context: SampleContext): VisitInput {
  const startDate = addDays(context.today(), 30 + 2 * context.serial());
  const endDate = addDays(startDate, 1);
  return {
    direction: "outbound",
    partnerIds: ["paris"],
    delegationHead: {
      name: { ja: "東京都知事", en: "Governor of Tokyo" },
      title: { ja: "知事", en: "Governor" },
      level: "head",
    },
    purpose: "relationship-building",
    purposeStatement: { ja: "パリ市との友好関係の強化", en: "Strengthening friendship ties with Paris" },
    priority: 2,
    startDate,
    endDate,
    itinerary: [
      { date: startDate, time: "10:00", place: "Hôtel de Ville", activity: "Courtesy call on the Mayor of Paris" },
    ],
    members: [
      {
        name: { ja: "通訳 一郎", en: "Ichiro Tsuyaku" },
        role: "Interpreter",
        personal: { passportNumber: "TK1234567", dietaryNotes: "No shellfish" },
      },
    ],
    costEstimate: {
      breakdown: [
        { item: "Flights", amountYen: 6_200_000 },
        { item: "Hotels", amountYen: 2_400_000 },
      ],
      quotes: [
        { vendor: "JTB", amountYen: 8_600_000, receivedOn: context.today() },
        { vendor: "HIS", amountYen: 8_900_000, receivedOn: context.today() },
      ],
    },
  };
}

/** The actions that bring a new (proposed) visit to a status. */
const ACTIONS_TO: Readonly<Record<"proposed" | "approved" | "confirmed", readonly ("approve" | "confirm")[]>> = {
  proposed: [],
  approved: ["approve"],
  confirmed: ["approve", "confirm"],
};

/** A new visit in the given status, proposed and moved on through Visit Scheduling's own use cases. */
async function visitIn(context: SampleContext, status: keyof typeof ACTIONS_TO): Promise<Visit> {
  const scheduling = context.store(VISIT_SCHEDULING, VisitScheduling);
  const write = { actor: "bench", correlationId: `bench-${context.unique()}`, now: new Date() };
  let visit = await scheduling.propose(governorTrip(context), write);
  for (const action of ACTIONS_TO[status]) visit = await scheduling.transition({ visitId: visit.id, action }, write);
  return visit;
}

const visitParams = async (context: SampleContext, status: keyof typeof ACTIONS_TO) => ({
  params: { id: (await visitIn(context, status)).id },
});

const PARTNER_CONTACT: PartnerContact = {
  name: { ja: "国際関係担当", en: "International Relations Officer" },
  role: "International relations",
  email: "relations@paris.example",
  preferredLanguage: "en",
};

/** What Notifications keeps of Paris: a copy with a contact, so visit notices are really sent. */
const NOTIFIED_PARTNER: PartnerCopy = {
  partnerId: "paris",
  name: { ja: "パリ市", en: "Paris" },
  contacts: [PARTNER_CONTACT],
  version: 1,
};

/** An event's identity as the outbox sets it: a new one for every sample, as for every state change. */
function eventIdentity({ unique }: SampleContext): { correlationId: string; metadata: EventMetadata } {
  const correlationId = `bench-${unique()}`;
  return {
    correlationId,
    metadata: { eventId: `bench-event-${unique()}`, correlationId, occurredAt: new Date().toISOString() },
  };
}

/** Notifications keeps Paris once; later samples find it kept already, which it refuses as a conflict and ignores. */
async function keepNotifiedPartner(context: SampleContext): Promise<void> {
  await keepPartnerCopy(context.store(NOTIFICATIONS, NoticeStore), NOTIFIED_PARTNER, new Date()).catch(
    (error: unknown) => {
      if (!(error instanceof Refused && error.refusal.kind === "conflict")) throw error;
    },
  );
}

/** A visit as its events tell it, involving a partner Notifications has a contact of; a new visit every time. */
async function visitNotice(context: SampleContext): Promise<VisitNoticeDetail> {
  await keepNotifiedPartner(context);
  const { direction, delegationHead, purpose, purposeStatement, startDate, endDate } = governorTrip(context);
  const partnerIds = [NOTIFIED_PARTNER.partnerId];
  const ids = { visitId: `bench-visit-${context.unique()}`, ...eventIdentity(context) };
  return { ...ids, direction, partnerIds, delegationHead, purpose, purposeStatement, startDate, endDate };
}

/**
 * A funded placement as its event tells it: a Paris official hosted in Tokyo for half a year, with a partner
 * Notifications has a contact of, so its notices are really sent; a new placement every time.
 */
async function placementNotice(context: SampleContext): Promise<PlacementFundedDetail> {
  await keepNotifiedPartner(context);
  const startDate = addDays(context.today(), 60);
  return aFundedPlacement({
    placementId: `bench-placement-${context.unique()}`,
    partnerId: NOTIFIED_PARTNER.partnerId,
    startDate,
    endDate: addDays(startDate, 181),
    fiscalYear: fiscalYearOf(startDate),
    holdId: randomUUID(),
    ...eventIdentity(context),
  });
}

/** The same placement cancelled after its funding, so its partner, told of it, is told of the cancellation. */
async function placementCancellation(context: SampleContext): Promise<PlacementCancelledDetail> {
  return { ...aCancelledPlacement("funded", await placementNotice(context)), ...eventIdentity(context) };
}

/** A partner as the registry announces it; a new one every time. */
const partnerEvent = (context: SampleContext) => ({
  partnerId: `bench-${context.unique()}`,
  name: { ja: "ベンチ市", en: "Bench City" },
  kind: "city",
  country: "VN",
  status: "active",
  contacts: [PARTNER_CONTACT],
  version: 1,
  ...eventIdentity(context),
});

/** Keyed by operationId (unique across the platform). */
export const routeSamples: Readonly<Record<string, RouteSample>> = {
  createPartner: ({ unique }) => ({
    body: {
      id: `bench-${unique()}`,
      name: { ja: "ベンチ市", en: "Bench City" },
      kind: "city",
      country: "VN",
      worldRegion: "southeast-asia",
      categories: [{ type: "asian-major-city" }],
      cooperationAreas: ["waterworks", "sewerage"],
      contacts: [
        {
          name: { ja: "担当", en: "Officer" },
          role: "International relations",
          email: "intl@example.org",
          preferredLanguage: "en",
        },
      ],
    },
  }),
  listPartners: () => ({ query: { category: "friendship-city", sort: "priority", limit: "20" } }),
  getPartner: () => ({ params: { id: "paris" } }),
  updatePartner: async ({ readItem }) => {
    const current = await readItem("city-registry", partnerKey("paris"));
    if (typeof current?.version !== "number") throw new Error("sample updatePartner: seeded partner paris not found");
    return {
      params: { id: "paris" },
      headers: { "if-match": `"${current.version}"` },
      body: { cooperationAreas: ["urban-development", "environment", "culture"] },
    };
  },
  concludeAgreement: ({ today }) => ({
    params: { id: "jakarta" },
    body: {
      type: "policy-cooperation",
      title: { ja: "防災分野の協力に関する覚書", en: "MOU on crisis-management cooperation" },
      signedOn: today(),
      areas: ["crisis-management"],
    },
  }),
  listPartnerAgreements: () => ({ params: { id: "new-york" }, query: { limit: "20" } }),
  listAgreements: () => ({ query: { limit: "20" } }),
  createProject: ({ today }) => ({
    body: {
      title: { ja: "都市気候対策共同研究", en: "Joint study on urban climate action" },
      area: "environment",
      partnerIds: ["paris", "berlin"],
      startDate: today(),
    },
  }),
  listProjects: () => ({ query: { partnerId: "paris", limit: "20" } }),
  getTargetsProgress: () => ({}),

  proposeVisit: (context) => ({ body: governorTrip(context) }),
  listVisits: (context) => ({ query: { ...upcoming(context), limit: "20" } }),
  getVisit: (context) => visitParams(context, "confirmed"),
  editVisit: async (context) => {
    const visit = await visitIn(context, "approved");
    return {
      params: { id: visit.id },
      headers: { "if-match": `"${visit.version}"` },
      body: {
        priority: 1,
        itinerary: [
          ...visit.itinerary,
          { date: visit.endDate, time: "14:00", place: "OECD", activity: "Talk on urban resilience" },
        ],
      },
    };
  },
  approveVisit: (context) => visitParams(context, "proposed"),
  confirmVisit: (context) => visitParams(context, "approved"),
  completeVisit: async (context) => ({
    ...(await visitParams(context, "confirmed")),
    body: { actualCostYen: 8_450_000 },
  }),
  cancelVisit: async (context) => ({
    ...(await visitParams(context, "confirmed")),
    body: { reason: CANCELLATION_REASON },
  }),
  getVisitMembers: (context) => visitParams(context, "proposed"),
  createConference: async (context) => {
    const visit = await visitIn(context, "proposed");
    return {
      body: {
        name: { ja: "世界都市サミット", en: "World Cities Summit" },
        city: { partnerId: "paris" },
        startDate: visit.startDate,
        endDate: visit.endDate,
        role: "participate",
        visitIds: [visit.id],
      },
    };
  },
  listConferences: (context) => ({ query: { from: context.today(), limit: "20" } }),
  getPlan: (context) => ({ params: { fiscalYear: thisFiscalYear(context) } }),
  setPlan: (context) => ({
    params: { fiscalYear: thisFiscalYear(context) },
    body: { tripCap: 4, travelBudgetYen: 56_000_000 },
  }),
  // As calendar programs ask for it: the answer is text/calendar, not JSON.
  getVisitsCalendar: (context) => ({ query: upcoming(context), headers: { accept: "text/calendar" } }),

  listNotices: () => ({ query: { limit: "20" } }),

  ...ledgerRouteSamples,
  ...exchangeRouteSamples,
  ...reportsRouteSamples,
  ...protocolRouteSamples,
};

/**
 * Keyed by `<service>.<subscription name>`; for a subscription consuming several contracts, one per contract,
 * keyed `<service>.<subscription name>:<detail-type>` (see sample-keys.ts).
 */
export const subscriptionSamples: Readonly<Record<string, SubscriptionSample>> = {
  "city-registry.visit-completed": (context) => ({
    visitId: `bench-visit-${context.unique()}`,
    direction: "inbound",
    partnerIds: ["seoul"],
    leaderLevel: "head",
    startDate: "2025-10-06",
    endDate: "2025-10-08",
    ...eventIdentity(context),
  }),
  "notifications.partner-registered": partnerEvent,
  "notifications.partner-updated": (context) => ({ ...partnerEvent(context), version: 2 }),
  "notifications.visit-confirmed": visitNotice,
  "notifications.visit-cancelled": async (context) => ({
    ...(await visitNotice(context)),
    reason: CANCELLATION_REASON,
    previousStatus: "confirmed",
  }),
  "notifications.placement-funded": placementNotice,
  "notifications.placement-cancelled": placementCancellation,
  "fund-ledger.hold-requested": (context) => ({ ...holdRequestedDetail(context), ...eventIdentity(context) }),
  // What the placement spent of its ¥10,000 hold; the rest is released.
  "fund-ledger.hold-post-requested": async (context) => ({
    ...(await heldByEvent(context)),
    amountYen: 10_000 - 1_500,
    ...eventIdentity(context),
  }),
  "fund-ledger.hold-void-requested": async (context) => ({
    ...(await heldByEvent(context)),
    reason: "The placement was cancelled",
    ...eventIdentity(context),
  }),
  "staff-exchange.partner-registered": partnerEvent,
  "staff-exchange.agreement-concluded": (context) => ({
    partnerId: "seoul",
    agreementId: `bench-agreement-${context.unique()}`,
    type: "policy-cooperation",
    title: { ja: "職員交流に関する覚書", en: "MOU on staff exchange" },
    signedOn: context.today(),
    ...eventIdentity(context),
  }),
  ...Object.fromEntries(
    Object.entries(exchangeSubscriptionSamples).map(([key, sample]) => [
      key,
      async (context: SampleContext) => ({ ...((await sample(context)) as object), ...eventIdentity(context) }),
    ]),
  ),
  ...reportsSubscriptionSamples,
  ...protocolSubscriptionSamples,
  "city-registry.courtesy-call-completed": (context) => ({
    callId: `bench-call-${context.unique()}`,
    partnerIds: ["seoul"],
    host: "vice-governor",
    startsAt: `${context.today()}T10:00:00+09:00`,
    durationMinutes: 30,
    date: context.today(),
    topics: ["environment"],
    ...eventIdentity(context),
  }),
  // Paris's own officials, as a mission's would be: the greeting brings its recipients, so it is really sent.
  "notifications.national-day-greeting": (context) => {
    const missionId = `bench-mission-${context.unique()}`;
    return {
      greetingId: `${missionId}-${context.today().slice(0, 4)}`,
      missionId,
      country: "FR",
      missionName: { ja: "駐日フランス大使館", en: "Embassy of France in Japan" },
      nationalDay: context.today(),
      occasion: { ja: "フランス国民祭典", en: "Fête nationale" },
      subject: { ja: "フランス国民祭典のお祝い", en: "Congratulations on the Fête nationale" },
      message: { ja: "心よりお祝い申し上げます。", en: "Our warmest congratulations." },
      recipients: NOTIFIED_PARTNER.contacts,
      ...eventIdentity(context),
    };
  },
};

export interface SampleCoverage {
  /** Functions with no sample: the benchmark fails on these. */
  readonly missing: readonly string[];
  /** Samples naming no function: left over from a removed or renamed route. */
  readonly unused: readonly string[];
}

/** Schedules and the outbox relay take generic events, so only routes and subscriptions need samples. */
export function sampleCoverage(
  services: readonly ServiceManifest[],
  samples: { routes: object; subscriptions: object } = { routes: routeSamples, subscriptions: subscriptionSamples },
): SampleCoverage {
  const routeIds = services.flatMap((s) => s.routes.map((r) => r.operationId));
  const subscriptionIds = services.flatMap((s) => s.subscriptions.flatMap((sub) => subscriptionSampleKeys(s, sub)));
  const routeKeys = Object.keys(samples.routes);
  const subscriptionKeys = Object.keys(samples.subscriptions);
  return {
    missing: [
      ...routeIds.filter((id) => !routeKeys.includes(id)).map((id) => `route ${id}`),
      ...subscriptionIds.filter((id) => !subscriptionKeys.includes(id)).map((id) => `subscription ${id}`),
    ],
    unused: [
      ...routeKeys.filter((key) => !routeIds.includes(key)).map((key) => `route ${key}`),
      ...subscriptionKeys.filter((key) => !subscriptionIds.includes(key)).map((key) => `subscription ${key}`),
    ],
  };
}
