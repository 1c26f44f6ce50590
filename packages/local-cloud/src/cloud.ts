import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  assertJava,
  type DynamoDbLocal,
  ensureTable,
  startDynamoDbLocal,
  startThrottleProxy,
} from "@cdp/dynamodb-local";
import {
  DEAD_LETTER_PREFIX_ENV,
  deadLetterPrefixOf,
  EVENT_BUS_ENV,
  OUTBOX_STREAM_FILTER,
  openApiDocument,
  SENDER_ADDRESS_ENV,
  type ServiceManifest,
} from "@cdp/lambda-kit";
import { startS3Local } from "@cdp/s3-local";
import { startSesLocal } from "@cdp/ses-local";
import { createVerifier as createDevIssuerVerifier } from "./dev-issuer.ts";
import { LocalEventBus } from "./eventbridge/bus.ts";
import { createEventBridgeServer } from "./eventbridge/server.ts";
import { createGateway, type GatewayRoute } from "./gateway.ts";
import { close, listen } from "./http-util.ts";
import { deadLetterQueuesOf, tableNameOf } from "./inventory.ts";
import { TIMEOUT_MS as FUNCTION_TIMEOUT_MS, LocalFunction } from "./lambda-runtime.ts";
import { Readiness } from "./readiness.ts";
import { LocalScheduler } from "./scheduler.ts";
import { StreamPoller } from "./stream-poller.ts";

export const EVENT_BUS_NAME = "city-diplomacy";
export const REGION = "ap-northeast-1";
/** Mail sent locally comes from here; it never leaves the SES stand-in. */
export const LOCAL_SENDER_ADDRESS = "city-diplomacy@notices.localhost";

export interface LocalCloudOptions {
  readonly services: readonly ServiceManifest[];
  /** 0 picks a free port. */
  readonly ports: {
    readonly api: number;
    readonly events: number;
    readonly dynamodb: number;
    readonly ses: number;
    readonly s3: number;
  };
  /** Keep DynamoDB data in this folder instead of memory. */
  readonly dataDir?: string | undefined;
  readonly seed: boolean;
  readonly issuerKeyFile: string;
  /** Browser origins the gateway's CORS allows, as the deployment's `allowedOrigins`. */
  readonly allowedOrigins?: readonly string[];
}

export interface LocalCloud {
  readonly endpoints: {
    readonly api: string;
    readonly events: string;
    readonly dynamodb: string;
    readonly ses: string;
    readonly s3: string;
  };
  readonly bus: LocalEventBus;
  readonly scheduler: LocalScheduler;
  /** What is still starting; the gateway's `/health` answers from it. */
  readonly readiness: Readiness;
  /**
   * Resolves once every table exists, every rule, stream poller and schedule is live, the seed is loaded and
   * its events are delivered: when `/health` turns 200. Rejects when starting fails or `stop` comes first.
   */
  readonly ready: Promise<void>;
  /** Resolves once every outbox item is published and every delivery has finished. */
  settle(): Promise<void>;
  /** Stops everything started so far; while starting, first lets the current step finish. */
  stop(): Promise<void>;
}

/** `ready` rejects with this when the cloud was stopped before it was ready. */
export class StoppedWhileStarting extends Error {
  constructor() {
    super("The local cloud was stopped before it was ready");
  }
}

const relayModule = createRequire(import.meta.url).resolve("@cdp/lambda-kit/outbox-relay");

export { tableNameOf } from "./inventory.ts";

/** The local cloud's stage, in the names that carry one (the dead-letter queues'). */
const LOCAL_STAGE = "local";

/** A service's bucket in the S3 stand-in. */
export function bucketNameOf(service: ServiceManifest): string {
  return `${service.name}-local`;
}

/** The start-up steps `/health` names until they are done, in the order they happen. */
function startUpSteps(options: LocalCloudOptions): string[] {
  const seeded = options.seed ? options.services.filter((service) => service.seed) : [];
  return [
    "dynamodb",
    "ses",
    "s3",
    "eventbridge",
    ...options.services.map((service) => `table ${service.name}`),
    ...options.services.flatMap((service) => service.subscriptions.map((sub) => `rule ${service.name}.${sub.name}`)),
    ...options.services.map((service) => `stream poller ${service.name}`),
    ...options.services.flatMap((service) => service.schedules.map((sc) => `schedule ${service.name}.${sc.name}`)),
    ...seeded.map((service) => `seed ${service.name}`),
    ...(seeded.length > 0 ? ["seed events delivered"] : []),
  ];
}

/**
 * Starts the whole platform on this machine: the HTTP gateway first (its `/health` says what is still
 * starting), then DynamoDB Local, the SES stand-in and the local EventBridge; it resolves once these
 * listen. In the background it then creates the tables, adds the rules, starts a stream poller per table
 * and the scheduler, all wired from the manifests, and loads the seed data; `ready` resolves when all of
 * that is done. Handler code finds everything through the standard AWS_ENDPOINT_URL_* variables: it has
 * no "if local".
 */
/** How long a stop waits for the work under way; the e2e harness kills a stop that takes 30 s. */
const STOP_DRAIN_MS = 15_000;

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  // A missing prerequisite is said before any port is taken.
  assertJava();
  const readiness = new Readiness(startUpSteps(options));
  try {
    const fn = (
      service: ServiceManifest,
      name: string,
      handler: string,
      runtime?: { readonly timeoutSeconds?: number; readonly memorySize?: number },
    ) =>
      new LocalFunction(
        `${service.name}-${name}`,
        join(service.root, handler),
        runtime?.timeoutSeconds ? runtime.timeoutSeconds * 1000 : undefined,
        runtime?.memorySize,
      );
    // Functions load their module on first call; the gateway calls none before the cloud is ready.
    const routes: GatewayRoute[] = options.services.flatMap((service) =>
      service.routes.map((route) => ({
        method: route.method,
        path: route.path,
        target: fn(service, route.operationId, route.handler),
      })),
    );
    const verify = await createDevIssuerVerifier(options.issuerKeyFile);
    const openApi = openApiDocument(options.services, { title: "City Diplomacy Platform API", version: "1.0.0" });
    const gateway = createGateway({
      routes,
      verify,
      openApi: () => openApi,
      readiness: () => readiness.state,
      ...(options.allowedOrigins && { allowedOrigins: options.allowedOrigins }),
    });
    const apiPort = await listen(gateway, options.ports.api);
    stops.push(() => close(gateway));

    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const dynamo: DynamoDbLocal = await startDynamoDbLocal({
      port: options.ports.dynamodb,
      ...(options.dataDir && { dbPath: options.dataDir }),
    });
    stops.push(() => dynamo.stop());
    // The functions reach DynamoDB through a proxy that throttles as DynamoDB does when `POST /faults` says so
    // (it passes everything until then: the seed, which writes through the services' own stores, goes through it
    // too); the cloud's tables and the stream pollers' reads (AWS_ENDPOINT_URL_DYNAMODB_STREAMS) go direct.
    const throttle = await startThrottleProxy({ target: dynamo.endpoint });
    stops.push(() => throttle.stop());
    readiness.done("dynamodb");
    const ses = await startSesLocal({ port: options.ports.ses });
    stops.push(() => ses.stop());
    const sesEndpoint = ses.endpoint;
    readiness.done("ses");
    const buckets = options.services.filter((service) => service.bucket);
    const s3 = await startS3Local({
      port: options.ports.s3,
      buckets: buckets.map(bucketNameOf),
      ...(options.dataDir && { directory: join(options.dataDir, "s3") }),
    });
    stops.push(() => s3.stop());
    for (const service of buckets) if (service.bucket) process.env[service.bucket.envVar] = bucketNameOf(service);
    readiness.done("s3");

    const bus = new LocalEventBus(EVENT_BUS_NAME, REGION);
    const scheduler = new LocalScheduler(bus.deadLetters);
    const eventsServer = createEventBridgeServer(bus, scheduler, () => settle(), {
      dynamodb: throttle,
      // A stream's dead letters go back to that table's relay (the pollers start later, in `finishStarting`).
      streams: {
        rules: () => pollers.map((poller) => poller.rule),
        redrive: async (letters) => {
          await Promise.all(
            pollers.map((poller) => {
              const own = letters.filter((letter) => letter.rule === poller.rule);
              return own.length > 0 ? poller.redeliver(own) : undefined;
            }),
          );
        },
      },
      deadLetterQueues: {
        queues: () => deadLetterQueuesOf(options.services, deadLetterPrefixOf(LOCAL_STAGE)),
        letters: bus.deadLetters,
      },
    });
    const eventsPort = await listen(eventsServer, options.ports.events);
    stops.push(() => close(eventsServer));
    const eventsEndpoint = `http://127.0.0.1:${eventsPort}`;
    readiness.done("eventbridge");

    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "local",
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
      AWS_ENDPOINT_URL_DYNAMODB: throttle.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamo.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventsEndpoint,
      AWS_ENDPOINT_URL_SES: sesEndpoint,
      AWS_ENDPOINT_URL_SESV2: sesEndpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      // The dead-letter queues are the bus's dead letters, answered on its endpoint (see `answerSqs`).
      AWS_ENDPOINT_URL_SQS: eventsEndpoint,
      [DEAD_LETTER_PREFIX_ENV]: deadLetterPrefixOf(LOCAL_STAGE),
      [EVENT_BUS_ENV]: EVENT_BUS_NAME,
      [SENDER_ADDRESS_ENV]: process.env[SENDER_ADDRESS_ENV] || LOCAL_SENDER_ADDRESS,
    });

    const pollers: StreamPoller[] = [];
    /**
     * Waits for conditions, never for time: every stream read to its end, every delivery finished,
     * and again while that round started anything new (a delivery may write, which a poller relays).
     */
    const settle = async () => {
      const work = () => bus.started + pollers.reduce((sum, poller) => sum + poller.delivered, 0);
      for (;;) {
        const before = work();
        await Promise.all(pollers.map((poller) => poller.caughtUp()));
        await bus.idle();
        if (work() === before) return;
      }
    };

    let stopping = false;
    /** Between two steps: a stop that came meanwhile ends the start-up there. */
    const step = (name: string) => {
      if (stopping) throw new StoppedWhileStarting();
      readiness.done(name);
    };
    const finishStarting = async () => {
      const dynamoClient = new DynamoDBClient({ endpoint: dynamo.endpoint });
      stops.push(() => dynamoClient.destroy());
      for (const service of options.services) {
        process.env[service.table.envVar] = tableNameOf(service);
        await ensureTable(dynamoClient, tableNameOf(service), service.table);
        step(`table ${service.name}`);
      }
      // Rules before pollers: nothing the relay publishes may pass a rule not yet added.
      for (const service of options.services) {
        for (const sub of service.subscriptions) {
          bus.addRule(`${service.name}.${sub.name}`, sub.pattern, fn(service, sub.name, sub.handler, sub.runtime));
          step(`rule ${service.name}.${sub.name}`);
        }
      }
      // With data on disk, deliveries are kept until done: those a killed run left are delivered again now.
      if (options.dataDir) {
        const { resumed, holdUntil } = bus.keepJournal(join(options.dataDir, "bus-deliveries"), FUNCTION_TIMEOUT_MS);
        stops.push(() => bus.closeJournal());
        if (resumed > 0) {
          console.log(
            `[bus] ${resumed} deliveries were under way when the last run ended: delivered again from ` +
              `${holdUntil?.toISOString()}, once what that run was invoking has timed out`,
          );
        }
      }
      for (const service of options.services) {
        const poller = new StreamPoller(
          tableNameOf(service),
          new LocalFunction(`${service.name}-outbox-relay`, relayModule),
          OUTBOX_STREAM_FILTER,
          bus.deadLetters,
          options.dataDir && join(options.dataDir, "stream-positions", `${tableNameOf(service)}.json`),
        );
        await poller.start();
        stops.push(() => poller.stop());
        pollers.push(poller);
        step(`stream poller ${service.name}`);
      }
      for (const service of options.services) {
        for (const schedule of service.schedules) {
          scheduler.add(
            `${service.name}.${schedule.name}`,
            schedule.expression,
            schedule.timezone,
            fn(service, schedule.name, schedule.handler),
          );
        }
      }
      scheduler.start();
      stops.push(() => scheduler.stop());
      for (const name of scheduler.names) step(`schedule ${name}`);

      if (!options.seed) return;
      let seeded = false;
      for (const service of options.services) {
        if (!service.seed) continue;
        const module = (await import(pathToFileURL(join(service.root, service.seed)).href)) as {
          seed: (context: { now: Date }) => Promise<string>;
        };
        console.log(`[seed] ${service.name}: ${await module.seed({ now: new Date() })}`);
        step(`seed ${service.name}`);
        seeded = true;
      }
      if (!seeded) return;
      // What the seed wrote is relayed and delivered (e.g. partners' contacts copied) before the cloud is ready.
      await settle();
      step("seed events delivered");
    };
    /**
     * What a SIGTERM lets finish, as AWS never drops what it accepted: no new request or schedule, then every
     * outbox relayed and every delivery done (each may write and publish more), within STOP_DRAIN_MS. What a
     * harder stop leaves behind is published at the next start: the pollers resume from their checkpoints.
     */
    const drain = async () => {
      readiness.stop();
      scheduler.stop();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), STOP_DRAIN_MS);
      });
      const outcome = await Promise.race([settle().then(() => "settled" as const), deadline]);
      clearTimeout(timer);
      if (outcome === "late") console.warn(`[stop] still busy after ${STOP_DRAIN_MS} ms: stopping anyway`);
    };
    const starting = finishStarting();
    const ready = starting.catch((error: unknown) => {
      readiness.fail(error instanceof Error ? error.message : String(error));
      throw error;
    });
    // The caller awaits `ready`; this keeps a failure the caller has not awaited yet from crashing the process.
    ready.catch(() => undefined);

    return {
      endpoints: {
        api: `http://127.0.0.1:${apiPort}`,
        events: eventsEndpoint,
        dynamodb: dynamo.endpoint,
        ses: sesEndpoint,
        s3: s3.endpoint,
      },
      bus,
      scheduler,
      readiness,
      ready,
      settle,
      stop: async () => {
        stopping = true;
        const started = await starting.then(
          () => true,
          () => false,
        );
        if (started) await drain();
        await stopAll();
      },
    };
  } catch (error) {
    readiness.fail(error instanceof Error ? error.message : String(error));
    await stopAll();
    throw error;
  }
}
