import type { RouteSpec, ServiceManifest } from "@cdp/lambda-kit";
import { describe, expect, it } from "vitest";
import { services as manifests } from "../services.ts";
import { benchFunctions, MissingSamplesError } from "./functions.ts";
import { sampleCoverage } from "./samples.ts";

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
