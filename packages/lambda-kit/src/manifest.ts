import type { EventContract, Role } from "@cdp/contracts";
import type * as z from "zod/v4/core";

/**
 * One definition per service drives the CDK app, the local cloud and the OpenAPI document.
 * Handler paths are relative to the service's root folder; each module exports `handler`.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.$ZodType;
  /** For responses that are not JSON, e.g. `text/calendar`. */
  readonly contentType?: string;
}

export interface RouteSpec<
  Params extends z.$ZodType = z.$ZodType,
  Query extends z.$ZodType = z.$ZodType,
  Body extends z.$ZodType = z.$ZodType,
> {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/partners/{id}`. */
  readonly path: string;
  /** Unique within the platform; names the function and the OpenAPI operation. */
  readonly operationId: string;
  readonly summary: string;
  readonly handler: string;
  readonly roles: readonly Role[];
  /** Read-only routes get read-only access to the service's table. */
  readonly access: "read" | "write";
  readonly request: { readonly params?: Params; readonly query?: Query; readonly body?: Body };
  /** Headers the route requires, documented in OpenAPI (e.g. If-Match). */
  readonly requiredHeaders?: readonly string[];
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Reads the service's bucket (e.g. to presign a download): gets `s3:GetObject` on it, nothing more. */
  readonly readsBucket?: boolean;
}

/**
 * A function that needs more than the platform's defaults (512 MB, the kit's timeouts): the report function, which
 * renders charts, PDFs and workbooks.
 */
export interface FunctionRuntime {
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
  /** Writes the service's bucket: gets `s3:PutObject` on it. */
  readonly writesBucket?: boolean;
  /**
   * Files the function reads at run time, built before bundling and copied beside the bundle: the path is relative
   * to the service's root, and `envVar` tells the function where the copy is.
   */
  readonly assets?: readonly { readonly path: string; readonly envVar: string }[];
  /** Packages that break when bundled: kept out of the bundle and installed beside it. */
  readonly nodeModules?: readonly string[];
  /**
   * Counts what waits in the platform's dead-letter queues (the progress report's attention section): gets
   * `sqs:ListQueues` and `sqs:GetQueueAttributes` on the dead-letter queues, and their prefix in `DEAD_LETTER_PREFIX_ENV`.
   */
  readonly readsDeadLetterQueues?: boolean;
}

/** Where a function that reads the dead-letter queues finds their common name prefix. */
export const DEAD_LETTER_PREFIX_ENV = "DEAD_LETTER_QUEUE_PREFIX";

/** The prefix every dead-letter queue of a deployment's stage starts with, and no other queue: `cdp-dev-dlq-`. */
export const deadLetterPrefixOf = (stage: string): string => `cdp-${stage}-dlq-`;

/** Outside a subscription or a schedule: the queue of what the outbox relay could not publish. */
export const OUTBOX_RELAY_CONSUMER = "outbox-relay";

/**
 * A dead-letter queue's name, the same in AWS and in the local cloud: `<prefix><service>-<consumer>`, where the
 * consumer is a subscription's name, `job-<schedule>`, or `outbox-relay`. SQS allows 80 characters.
 */
export function deadLetterQueueName(prefix: string, service: string, consumer: string): string {
  const name = `${prefix}${service}-${consumer}`;
  if (name.length > 80 || !/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new Error(`dead-letter queue name "${name}" must be at most 80 letters, digits, hyphens or underscores`);
  }
  return name;
}

export interface SubscriptionSpec<
  Contract extends EventContract<string, string, z.$ZodType> = EventContract<string, string, z.$ZodType>,
> {
  /** Unique within the service; names the rule and the function. */
  readonly name: string;
  /** The event it consumes; for a consumer of several (a read model), the first of `contracts`. */
  readonly contract: Contract;
  /** Every event it consumes, each checked against its own contract: one rule and one function for all. */
  readonly contracts: readonly EventContract<string, string, z.$ZodType>[];
  /** The EventBridge pattern of the rule; by default the contracts' sources and detail-types. */
  readonly pattern: Readonly<Record<string, unknown>>;
  readonly handler: string;
  /** Sends e-mail through SES: gets the sender address and leave to send from that identity only. */
  readonly sendsEmail?: boolean;
  readonly runtime?: FunctionRuntime;
  /**
   * Its events are archived without end (the bus's own archive keeps a month), so its read models can be rebuilt
   * from the whole history by a replay onto its rule.
   */
  readonly archivesHistory?: boolean;
}

export interface ScheduleSpec {
  readonly name: string;
  /** EventBridge Scheduler expression: `cron(...)` or `rate(...)`. */
  readonly expression: string;
  readonly timezone: string;
  readonly description: string;
  readonly handler: string;
}

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface TableSpec {
  /** The variable through which functions learn the table's name. */
  readonly envVar: string;
  readonly partitionKey: "pk";
  readonly sortKey: "sk";
  readonly indexes: readonly IndexSpec[];
  /** Items with this attribute (epoch seconds) expire: outbox and idempotency records. */
  readonly ttlAttribute: "expiresAt";
}

export interface ServiceManifest {
  /** e.g. `city-registry`; the event source is `tmg.<name>`. */
  readonly name: string;
  readonly title: string;
  /** Absolute path of the service's folder. */
  readonly root: string;
  readonly table: TableSpec;
  readonly routes: readonly RouteSpec[];
  readonly subscriptions: readonly SubscriptionSpec[];
  readonly schedules: readonly ScheduleSpec[];
  readonly publishes: readonly EventContract<string, string, z.$ZodType>[];
  /**
   * The service's own S3 bucket (block public access, encryption, versioning, a lifecycle rule); every function of
   * the service learns its name through `envVar`, and only those that declare it get access.
   */
  readonly bucket?: { readonly envVar: string; readonly expireAfterDays: number };
  /** Local cloud only: a module whose `seed(context)` loads reference data, idempotently. */
  readonly seed?: string;
}

/** What every route may answer; a route declares only what is its own (and may word these its way). */
export const STANDARD_RESPONSES: Readonly<Record<number, ResponseSpec>> = {
  400: { description: "Invalid input: every offending field is named" },
  401: { description: "No valid bearer token" },
  403: { description: "The caller's roles may not do this" },
};

export function defineRoute<Params extends z.$ZodType, Query extends z.$ZodType, Body extends z.$ZodType>(
  route: RouteSpec<Params, Query, Body>,
): RouteSpec<Params, Query, Body> {
  return { ...route, responses: { ...STANDARD_RESPONSES, ...route.responses } };
}

export function defineSubscription<Contract extends EventContract<string, string, z.$ZodType>>(
  spec: Omit<SubscriptionSpec<Contract>, "pattern" | "contracts"> & { pattern?: Readonly<Record<string, unknown>> },
): SubscriptionSpec<Contract> {
  return {
    ...spec,
    contracts: [spec.contract],
    pattern: spec.pattern ?? { source: [spec.contract.source], "detail-type": [spec.contract.detailType] },
  };
}

/**
 * A consumer of several events, each checked against its own contract, behind one rule and one function: a read
 * model fed by many producers. Detail-types are unique across sources, so the rule matches exactly these events.
 */
export function defineMultiSubscription(
  spec: Omit<SubscriptionSpec, "pattern" | "contract" | "contracts"> & {
    readonly contracts: readonly [
      EventContract<string, string, z.$ZodType>,
      ...EventContract<string, string, z.$ZodType>[],
    ];
  },
): SubscriptionSpec {
  const { contracts } = spec;
  return {
    ...spec,
    contract: contracts[0],
    pattern: {
      source: [...new Set(contracts.map((contract) => contract.source))],
      "detail-type": contracts.map((contract) => contract.detailType),
    },
  };
}

/** The generic GSIs of the single-table layout; each service's key builders give them meaning. */
export const GSI1: IndexSpec = { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" };
export const GSI2: IndexSpec = { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" };

/** The standard single-table layout: pk/sk plus generic GSIs, a TTL attribute and a stream for the outbox. */
export function standardTable(envVar: string, indexes: readonly IndexSpec[]): TableSpec {
  return { envVar, partitionKey: "pk", sortKey: "sk", indexes, ttlAttribute: "expiresAt" };
}

/** Every function of a service gets these variables; the values differ per environment. */
export const EVENT_BUS_ENV = "EVENT_BUS_NAME";
/** The From address of e-mail senders; its domain is the SES identity they may send from. */
export const SENDER_ADDRESS_ENV = "SENDER_ADDRESS";
