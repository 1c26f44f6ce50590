import { fileURLToPath } from "node:url";
import { ALL_ROLES } from "@cdp/contracts";
import { defineRoute, type ServiceManifest, standardTable } from "@cdp/lambda-kit";

/** The bare route's path: served only by the bench's own local cloud, never by `npm start` or a deployment. */
export const BARE_ROUTE_PATH = "/bench/bare";

/**
 * A service of the benchmark's own, added to the platform's manifests in the local cloud the load part starts
 * (`load-cloud.ts`): one route to `bare-handler.ts`, the function that does nothing but answer. It is served by
 * the same gateway as every real route (routing, the JWT check, the payload-2.0 event, the invocation), so a
 * real route's figures beside it show what the service code itself costs. Being a manifest, it needs no hook in
 * the local cloud; it brings an empty table (and its idle stream poller) of its own.
 */
export const benchManifest: ServiceManifest = {
  name: "bench-reference",
  title: "Benchmark reference",
  root: fileURLToPath(new URL(".", import.meta.url)),
  table: standardTable("BENCH_REFERENCE_TABLE", []),
  routes: [
    defineRoute({
      method: "GET",
      path: BARE_ROUTE_PATH,
      operationId: "benchBare",
      summary: "The bare handler: answers 200 and does nothing else",
      handler: "bare-handler.ts",
      roles: ALL_ROLES,
      access: "read",
      request: {},
      responses: { 200: { description: "Always" } },
    }),
  ],
  subscriptions: [],
  schedules: [],
  publishes: [],
};
