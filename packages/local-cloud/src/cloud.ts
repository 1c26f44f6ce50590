import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from "@cdp/dynamodb-local";
import {
  EVENT_BUS_ENV,
  OUTBOX_STREAM_FILTER,
  openApiDocument,
  SENDER_ADDRESS_ENV,
  type ServiceManifest,
} from "@cdp/lambda-kit";
import { startSesLocal } from "@cdp/ses-local";
import { createVerifier as createDevIssuerVerifier } from "./dev-issuer.ts";
import { LocalEventBus } from "./eventbridge/bus.ts";
import { createEventBridgeServer } from "./eventbridge/server.ts";
import { createGateway, type GatewayRoute } from "./gateway.ts";
import { close, listen } from "./http-util.ts";
import { LocalFunction } from "./lambda-runtime.ts";
import { LocalScheduler } from "./scheduler.ts";
import { StreamPoller } from "./stream-poller.ts";

export const EVENT_BUS_NAME = "city-diplomacy";
export const REGION = "ap-northeast-1";
/** Mail sent locally comes from here; it never leaves the SES stand-in. */
export const LOCAL_SENDER_ADDRESS = "city-diplomacy@notices.localhost";

export interface LocalCloudOptions {
  readonly services: readonly ServiceManifest[];
  /** 0 picks a free port. */
  readonly ports: { readonly api: number; readonly events: number; readonly dynamodb: number; readonly ses: number };
  /** Keep DynamoDB data in this folder instead of memory. */
  readonly dataDir?: string | undefined;
  readonly seed: boolean;
  readonly issuerKeyFile: string;
}

export interface LocalCloud {
  readonly endpoints: {
    readonly api: string;
    readonly events: string;
    readonly dynamodb: string;
    readonly ses: string;
  };
  readonly bus: LocalEventBus;
  readonly scheduler: LocalScheduler;
  /** Resolves once every outbox item is published and every delivery has finished. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const relayModule = createRequire(import.meta.url).resolve("@cdp/lambda-kit/outbox-relay");

export function tableNameOf(service: ServiceManifest): string {
  return service.name;
}

/**
 * Starts the whole platform on this machine: DynamoDB Local, the SES stand-in, the local
 * EventBridge, the HTTP gateway, a stream poller per table and the scheduler, all wired from the
 * manifests, then loads the seed data. Handler code finds everything through the standard
 * AWS_ENDPOINT_URL_* variables: it has no "if local".
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const dynamo: DynamoDbLocal = await startDynamoDbLocal({
      port: options.ports.dynamodb,
      ...(options.dataDir && { dbPath: options.dataDir }),
    });
    stops.push(() => dynamo.stop());
    const ses = await startSesLocal({ port: options.ports.ses });
    stops.push(() => ses.stop());
    const sesEndpoint = ses.endpoint;

    const bus = new LocalEventBus(EVENT_BUS_NAME, REGION);
    const scheduler = new LocalScheduler();
    const eventsServer = createEventBridgeServer(bus, scheduler);
    const eventsPort = await listen(eventsServer, options.ports.events);
    stops.push(() => close(eventsServer));
    const eventsEndpoint = `http://127.0.0.1:${eventsPort}`;

    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "local",
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamo.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventsEndpoint,
      AWS_ENDPOINT_URL_SES: sesEndpoint,
      AWS_ENDPOINT_URL_SESV2: sesEndpoint,
      [EVENT_BUS_ENV]: EVENT_BUS_NAME,
      [SENDER_ADDRESS_ENV]: process.env[SENDER_ADDRESS_ENV] || LOCAL_SENDER_ADDRESS,
    });

    const dynamoClient = new DynamoDBClient({});
    const routes: GatewayRoute[] = [];
    const pollers: StreamPoller[] = [];
    for (const service of options.services) {
      process.env[service.table.envVar] = tableNameOf(service);
      await ensureTable(dynamoClient, tableNameOf(service), service.table);
      const fn = (name: string, handler: string) =>
        new LocalFunction(`${service.name}-${name}`, join(service.root, handler));
      for (const route of service.routes)
        routes.push({ method: route.method, path: route.path, target: fn(route.operationId, route.handler) });
      for (const sub of service.subscriptions)
        bus.addRule(`${service.name}.${sub.name}`, sub.pattern, fn(sub.name, sub.handler));
      for (const schedule of service.schedules) {
        scheduler.add(
          `${service.name}.${schedule.name}`,
          schedule.expression,
          schedule.timezone,
          fn(schedule.name, schedule.handler),
        );
      }
      pollers.push(
        new StreamPoller(
          tableNameOf(service),
          new LocalFunction(`${service.name}-outbox-relay`, relayModule),
          OUTBOX_STREAM_FILTER,
          bus.deadLetters,
          Boolean(options.dataDir),
        ),
      );
    }
    for (const poller of pollers) {
      await poller.start();
      stops.push(() => poller.stop());
    }

    const verify = await createDevIssuerVerifier(options.issuerKeyFile);
    const openApi = openApiDocument(options.services, { title: "City Diplomacy Platform API", version: "1.0.0" });
    const gateway = createGateway({ routes, verify, openApi: () => openApi });
    const apiPort = await listen(gateway, options.ports.api);
    stops.push(() => close(gateway));

    scheduler.start();
    stops.push(() => scheduler.stop());

    const settle = async () => {
      // Quiet twice in a row: a delivery may write, which the poller then relays.
      let quietRounds = 0;
      while (quietRounds < 2) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        await bus.idle();
        quietRounds = pollers.some((p) => p.active) ? 0 : quietRounds + 1;
      }
    };

    if (options.seed) {
      for (const service of options.services) {
        if (!service.seed) continue;
        const module = (await import(pathToFileURL(join(service.root, service.seed)).href)) as {
          seed: (context: { now: Date }) => Promise<string>;
        };
        console.log(`[seed] ${service.name}: ${await module.seed({ now: new Date() })}`);
      }
    }

    return {
      endpoints: {
        api: `http://127.0.0.1:${apiPort}`,
        events: eventsEndpoint,
        dynamodb: dynamo.endpoint,
        ses: sesEndpoint,
      },
      bus,
      scheduler,
      settle,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
