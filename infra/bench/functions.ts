import { createRequire } from "node:module";
import { join } from "node:path";
import type { RouteSpec, ServiceManifest } from "@cdp/lambda-kit";
import { apiGatewayEvent, eventBridgeEvent, outboxStreamEvent, scheduledEvent } from "./events.ts";
import { constantRoute } from "./kit-constant-handler.ts";
import { routeSamples, type SampleContext, sampleCoverage, subscriptionKey, subscriptionSamples } from "./samples.ts";

export type FunctionKind = "route" | "subscription" | "schedule" | "relay" | "reference";

export interface InvocationContext extends SampleContext {
  /** The table name a service's functions are given. */
  tableName(service: string): string;
}

/** One Lambda function under benchmark: what to bundle, what event to send it, how to tell it succeeded. */
export interface BenchFunction {
  /** `<service>.<name>`, or `reference.<name>`: unique, names the bundle and the report row. */
  readonly id: string;
  readonly kind: FunctionKind;
  /** Absolute path of the module exporting `handler`. */
  readonly entry: string;
  /** The service whose table the function is given; none for the relay (it never touches the table) and the references. */
  readonly tableOf?: ServiceManifest;
  readonly serviceName?: string;
  /** Variables beyond the common ones. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Sends e-mail through SES: given the sender address, as the CDK app gives it. */
  readonly sendsEmail?: boolean;
  /** Answers HTTP: success is a 2xx statusCode. */
  readonly http: boolean;
  /** Safe to repeat thousands of times (grows no data): measured warm as well. */
  readonly readOnly: boolean;
  event(context: InvocationContext): Promise<unknown>;
}

export class MissingSamplesError extends Error {
  constructor(missing: readonly string[]) {
    super(`No sample request for ${missing.join(", ")}: add one to infra/bench/samples.ts`);
  }
}

const BENCH_SOURCES = import.meta.dirname;
const RELAY_ENTRY = createRequire(import.meta.url).resolve("@cdp/lambda-kit/outbox-relay");

/** The table and item the minimal GetItem handler reads; the local stack creates them. */
export const MINIMAL_TABLE = { name: "bench-minimal", itemId: "item-1" } as const;

/** The role a sample request is sent with: one the route allows, as a real caller would have. */
function callerRole(route: RouteSpec): string {
  const role = route.roles[0];
  if (!role) throw new Error(`route ${route.operationId} allows no role`);
  return role;
}

function routeFunction(service: ServiceManifest, route: RouteSpec): BenchFunction {
  const sample = routeSamples[route.operationId];
  if (!sample) throw new MissingSamplesError([`route ${route.operationId}`]);
  return {
    id: `${service.name}.${route.operationId}`,
    kind: "route",
    entry: join(service.root, route.handler),
    tableOf: service,
    serviceName: service.name,
    http: true,
    readOnly: route.access === "read",
    event: async (context) =>
      apiGatewayEvent({
        method: route.method,
        pathTemplate: route.path,
        role: callerRole(route),
        sample: await sample(context),
      }),
  };
}

function serviceFunctions(service: ServiceManifest): BenchFunction[] {
  const common = { tableOf: service, serviceName: service.name, http: false, readOnly: false } as const;
  return [
    ...service.routes.map((route) => routeFunction(service, route)),
    ...service.subscriptions.map((subscription): BenchFunction => {
      const detail = subscriptionSamples[subscriptionKey(service, subscription.name)];
      if (!detail) throw new MissingSamplesError([`subscription ${subscriptionKey(service, subscription.name)}`]);
      const { source, detailType } = subscription.contract;
      return {
        ...common,
        id: subscriptionKey(service, subscription.name),
        kind: "subscription",
        entry: join(service.root, subscription.handler),
        sendsEmail: subscription.sendsEmail,
        event: async (context) => eventBridgeEvent(source, detailType, await detail(context)),
      };
    }),
    ...service.schedules.map(
      (schedule): BenchFunction => ({
        ...common,
        id: `${service.name}.${schedule.name}`,
        kind: "schedule",
        entry: join(service.root, schedule.handler),
        event: async () => scheduledEvent(),
      }),
    ),
    {
      // As deployed: the kit's relay, one per service, reading the stream and never the table.
      ...common,
      tableOf: undefined,
      id: `${service.name}.outbox-relay`,
      kind: "relay",
      entry: RELAY_ENTRY,
      event: async ({ tableName, unique }) =>
        outboxStreamEvent(tableName(service.name), {
          source: `tmg.${service.name}`,
          detailType: service.publishes[0]?.detailType ?? "BenchProbe.v1",
          detail: { correlationId: `bench-${unique()}` },
        }),
    },
  ];
}

/** The yardsticks: a bare answer, the kit's HTTP stack around a constant, and one plain GetItem. */
function referenceFunctions(): BenchFunction[] {
  const itemRequest = (method: string, pathTemplate: string) => async () =>
    apiGatewayEvent({ method, pathTemplate, role: "viewer", sample: { params: { id: MINIMAL_TABLE.itemId } } });
  const reference = { kind: "reference", http: true, readOnly: true } as const;
  return [
    {
      ...reference,
      id: "reference.bare",
      entry: join(BENCH_SOURCES, "bare-handler.ts"),
      event: itemRequest("GET", "/items/{id}"),
    },
    {
      ...reference,
      id: "reference.kit-constant",
      entry: join(BENCH_SOURCES, "kit-constant-handler.ts"),
      serviceName: "bench",
      event: itemRequest(constantRoute.method, constantRoute.path),
    },
    {
      ...reference,
      id: "reference.minimal-getitem",
      entry: join(BENCH_SOURCES, "minimal-handler.ts"),
      environment: { TABLE_NAME: MINIMAL_TABLE.name },
      event: itemRequest("GET", "/items/{id}"),
    },
  ];
}

/**
 * Every function of every manifest (routes, subscriptions, schedules, one outbox relay per service), after
 * the references. Throws before anything starts when a route or subscription has no sample.
 */
export function benchFunctions(services: readonly ServiceManifest[]): BenchFunction[] {
  const { missing } = sampleCoverage(services);
  if (missing.length > 0) throw new MissingSamplesError(missing);
  return [...referenceFunctions(), ...services.flatMap(serviceFunctions)];
}

/** Why a response does not count as success, or undefined when it does. */
export function failureOf(fn: BenchFunction, response: unknown): string | undefined {
  if (fn.http) {
    const { statusCode, body } = (response ?? {}) as { statusCode?: unknown; body?: unknown };
    if (typeof statusCode === "number" && statusCode >= 200 && statusCode < 300) return undefined;
    return `answered ${String(statusCode)}: ${String(body ?? "").slice(0, 500)}`;
  }
  if (fn.kind === "relay") {
    const failures = (response as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
    return Array.isArray(failures) && failures.length === 0
      ? undefined
      : `reported batch item failures: ${JSON.stringify(response)}`;
  }
  // Event consumers and scheduled jobs succeed by resolving; a rejection is reported by the runner.
  return undefined;
}
