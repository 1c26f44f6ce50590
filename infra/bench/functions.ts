import { createRequire } from "node:module";
import { join } from "node:path";
import type { RouteSpec, ServiceManifest, SubscriptionSpec } from "@cdp/lambda-kit";
import { apiGatewayEvent, eventBridgeEvent, outboxStreamEvent, scheduledEvent } from "./events.ts";
import { constantRoute } from "./kit-constant-handler.ts";
import {
  routeSamples,
  type SampleContext,
  sampleCoverage,
  subscriptionKey,
  subscriptionSampleKeys,
  subscriptionSamples,
} from "./samples.ts";

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
  /** Lambda's memory setting, when the function asks for more than the default (`runtime.memorySize`). */
  readonly memorySize?: number;
  /**
   * Packages kept out of the bundle and installed beside it (`runtime.nodeModules`), as the CDK app deploys them;
   * resolved from `packageRoot`, the service's root.
   */
  readonly nodeModules?: readonly string[];
  readonly packageRoot?: string;
  /**
   * Why the platform-wide aims (350 KB, init 1.5× the reference) do not apply: a function with a runtime of its own
   * (the report function) is held to its own aim, reported by its own benchmark.
   */
  readonly ownAim?: string;
  /** Sends e-mail through SES: given the sender address, as the CDK app gives it. */
  readonly sendsEmail?: boolean;
  /** Answers HTTP: success is a 2xx statusCode, or one of `successStatuses`. */
  readonly http: boolean;
  /** Statuses below 400 the route declares (a redirect, say), also success. */
  readonly successStatuses?: readonly number[];
  /** Safe to repeat thousands of times (grows no data): measured warm as well. */
  readonly readOnly: boolean;
  /**
   * How many kinds of event it is sent, in turn (a subscription consuming several contracts gets each contract's
   * sample in turn): the benchmark sends each once before measuring, so every sample is checked.
   */
  readonly eventKinds?: number;
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
    successStatuses: Object.keys(route.responses)
      .map(Number)
      .filter((status) => status < 400),
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

/**
 * What a subscription's `runtime` changes, as the CDK app applies it (infra/lib/service-stack.ts): its memory, its
 * packages installed beside the bundle, its files (here read where they are built, not copied beside the bundle).
 */
function runtimeOf(
  service: ServiceManifest,
  subscription: SubscriptionSpec,
): Pick<BenchFunction, "memorySize" | "nodeModules" | "packageRoot" | "ownAim" | "environment"> {
  const { runtime } = subscription;
  if (!runtime) return {};
  return {
    ...(runtime.memorySize !== undefined && {
      memorySize: runtime.memorySize,
      ownAim: "a runtime of its own: held to its own aim (the reports benchmark)",
    }),
    ...(runtime.nodeModules && { nodeModules: runtime.nodeModules, packageRoot: service.root }),
    ...(runtime.assets && {
      environment: Object.fromEntries(runtime.assets.map((asset) => [asset.envVar, join(service.root, asset.path)])),
    }),
  };
}

function serviceFunctions(service: ServiceManifest): BenchFunction[] {
  const common = { tableOf: service, serviceName: service.name, http: false, readOnly: false } as const;
  return [
    ...service.routes.map((route) => routeFunction(service, route)),
    ...service.subscriptions.map((subscription): BenchFunction => {
      const keys = subscriptionSampleKeys(service, subscription);
      const missing = keys.filter((key) => !subscriptionSamples[key]);
      if (missing.length > 0) throw new MissingSamplesError(missing.map((key) => `subscription ${key}`));
      // Each contract's sample in turn: one function, every event it consumes.
      let next = 0;
      return {
        ...common,
        id: subscriptionKey(service, subscription.name),
        kind: "subscription",
        entry: join(service.root, subscription.handler),
        sendsEmail: subscription.sendsEmail,
        ...runtimeOf(service, subscription),
        ...(keys.length > 1 && { eventKinds: keys.length }),
        event: async (context) => {
          const index = next++ % keys.length;
          const contract = subscription.contracts[index] ?? subscription.contract;
          const detail = subscriptionSamples[keys[index] ?? ""];
          if (!detail) throw new MissingSamplesError([`subscription ${keys[index]}`]);
          return eventBridgeEvent(contract.source, contract.detailType, await detail(context));
        },
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
    if (typeof statusCode === "number" && fn.successStatuses?.includes(statusCode)) return undefined;
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
