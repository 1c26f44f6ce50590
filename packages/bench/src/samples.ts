import { partnerKey } from "@cdp/city-registry/store/keys";
import type { ServiceManifest } from "@cdp/lambda-kit";
import type { HttpSample } from "./events.ts";

/**
 * One realistic invocation per function, answering 2xx against the seeded data. The benchmark refuses to
 * run when a route or a subscription has no sample here, so a new function can never be silently skipped.
 * Samples run before every invocation: writes get fresh ids, updates the current version.
 */

export interface SampleContext {
  /** Reads one item of a service's table, for samples that depend on the current state (If-Match). */
  readItem(service: string, key: Readonly<Record<string, string>>): Promise<Record<string, unknown> | undefined>;
  /** A fresh suffix for ids that must be new on every call. */
  unique(): string;
  /** Today in the business calendar, `YYYY-MM-DD`. */
  today(): string;
}

export type RouteSample = (context: SampleContext) => HttpSample | Promise<HttpSample>;
/** Builds the `detail` of the event a subscription receives; the envelope comes from its contract. */
export type SubscriptionSample = (context: SampleContext) => unknown;

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
};

/** Keyed by `<service>.<subscription name>`. */
export const subscriptionSamples: Readonly<Record<string, SubscriptionSample>> = {
  "city-registry.visit-completed": ({ unique }) => ({
    visitId: `bench-visit-${unique()}`,
    direction: "inbound",
    partnerIds: ["seoul"],
    leaderLevel: "head",
    startDate: "2025-10-06",
    endDate: "2025-10-08",
    correlationId: `bench-${unique()}`,
  }),
};

export const subscriptionKey = (service: ServiceManifest, subscriptionName: string) =>
  `${service.name}.${subscriptionName}`;

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
  const subscriptionIds = services.flatMap((s) => s.subscriptions.map((sub) => subscriptionKey(s, sub.name)));
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
