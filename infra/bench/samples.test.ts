import type { RouteSpec, ServiceManifest, SubscriptionSpec } from "@cdp/lambda-kit";
import { describe, expect, it } from "vitest";
import { services as manifests } from "../services.ts";
import { benchFunctions, MissingSamplesError } from "./functions.ts";
import { sampleCoverage, subscriptionSamples } from "./samples.ts";

describe("sample requests", () => {
  it("exist for every route and subscription of every manifest, and name no other", () => {
    expect(sampleCoverage(manifests)).toEqual({ missing: [], unused: [] });
  });

  it("are checked: a route added without a sample stops the benchmark before it starts", () => {
    const [first, ...rest] = manifests as [ServiceManifest, ...ServiceManifest[]];
    const newRoute = { ...(first.routes[0] as RouteSpec), operationId: "newRouteWithoutSample" };
    const grown = [{ ...first, routes: [...first.routes, newRoute] }, ...rest];
    expect(sampleCoverage(grown).missing).toEqual(["route newRouteWithoutSample"]);
    expect(() => benchFunctions(grown)).toThrow(MissingSamplesError);
    expect(() => benchFunctions(grown)).toThrow(/newRouteWithoutSample/);
  });

  it("are needed for each contract of a subscription that consumes several, keyed by its detail-type", () => {
    const multi = manifests
      .flatMap((service) => service.subscriptions.map((subscription) => ({ service, subscription })))
      .find(({ subscription }) => subscription.contracts.length > 1);
    if (!multi) return;
    const { service, subscription } = multi;
    const [first, second] = subscription.contracts;
    expect(Object.keys(subscriptionSamples)).toContain(`${service.name}.${subscription.name}:${first?.detailType}`);
    // A subscription growing a contract without a sample for it is caught.
    const grown: SubscriptionSpec = {
      ...subscription,
      contracts: [...subscription.contracts, { ...second, detailType: "NewEvent.v1" } as typeof first & object],
    };
    const others = manifests.filter((s) => s !== service);
    const withGrown = [
      ...others,
      { ...service, subscriptions: service.subscriptions.map((s) => (s === subscription ? grown : s)) },
    ];
    expect(sampleCoverage(withGrown).missing).toEqual([
      `subscription ${service.name}.${subscription.name}:NewEvent.v1`,
    ]);
    expect(() => benchFunctions(withGrown)).toThrow(/NewEvent\.v1/);
  });

  it("cover every function: each route, subscription and schedule, one relay per service, and the yardsticks", () => {
    const ids = benchFunctions(manifests).map((fn) => fn.id);
    const expected = manifests.flatMap((s) => [
      ...s.routes.map((r) => `${s.name}.${r.operationId}`),
      ...s.subscriptions.map((sub) => `${s.name}.${sub.name}`),
      ...s.schedules.map((schedule) => `${s.name}.${schedule.name}`),
      `${s.name}.outbox-relay`,
    ]);
    expect(ids).toEqual(["reference.bare", "reference.kit-constant", "reference.minimal-getitem", ...expected]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
