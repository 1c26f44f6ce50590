import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable, startDynamoDbLocal } from "@cdp/dynamodb-local";
import {
  createDocumentClient,
  EVENT_BUS_ENV,
  SENDER_ADDRESS_ENV,
  type ServiceManifest,
  standardTable,
} from "@cdp/lambda-kit";
import { EVENT_BUS_NAME, LOCAL_SENDER_ADDRESS } from "@cdp/local-cloud/cloud";
import { LocalEventBus } from "@cdp/local-cloud/eventbridge/bus";
import { createEventBridgeServer } from "@cdp/local-cloud/eventbridge/server";
import { close, listen } from "@cdp/local-cloud/http-util";
import { startS3Local } from "@cdp/s3-local";
import { startSesLocal } from "@cdp/ses-local";
import { REPORT_RECIPIENTS_ENV } from "../lib/config.ts";
import { REGION } from "./events.ts";
import type { BenchFunction } from "./functions.ts";
import { MINIMAL_TABLE } from "./functions.ts";
import type { StoreClass } from "./samples.ts";

/** As the local cloud names them. */
const tableNameOf = (service: string) => service;
/** A service's bucket in the S3 stand-in (the CDK app gives every function of the service its name). */
export const bucketNameOf = (service: string) => `${service}-bench`;

/**
 * Variables the CDK app gives a service's functions from the deployment's configuration (infra/lib/config.ts), as a
 * configured deployment has them: the reports' distribution list, so the monthly report is e-mailed as it would be.
 */
export const CONFIGURED_ENVIRONMENT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  reports: { [REPORT_RECIPIENTS_ENV]: "meeting@metro.localhost,chair@metro.localhost" },
};

/** Data a service's table gets beyond its manifest's seed, before any function runs: `<what it wrote>`. */
export type BenchSeed = (stack: Pick<LocalStack, "store">) => Promise<string>;

export interface LocalStack {
  /** Variables every function gets: region, dummy credentials, local endpoints, the bus. */
  readonly commonEnvironment: Readonly<Record<string, string>>;
  tableName(service: string): string;
  readItem(service: string, key: Readonly<Record<string, string>>): Promise<Record<string, unknown> | undefined>;
  /** A service's own store class over its table, with the client its functions create. */
  store<Store>(service: string, Store: StoreClass<Store>): Store;
  stop(): Promise<void>;
}

async function seedService(service: ServiceManifest): Promise<string> {
  if (!service.seed) return "no seed";
  // The seed writes through the service's own store, which reads its table name from the environment at import.
  const module = (await import(pathToFileURL(join(service.root, service.seed)).href)) as {
    seed: (context: { now: Date }) => Promise<string>;
  };
  return module.seed({ now: new Date() });
}

/**
 * One DynamoDB Local, the SES and S3 stand-ins and one in-process EventBridge, with every service's table created
 * from its manifest and seeded (then given its `benchSeeds`, if any), every service's bucket, plus the minimal
 * handler's table and item. `stop` ends all of it; so does a failure while starting.
 */
export async function startLocalStack(
  services: readonly ServiceManifest[],
  benchSeeds: Readonly<Record<string, BenchSeed>> = {},
): Promise<LocalStack> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const dynamo = await startDynamoDbLocal();
    stops.push(() => dynamo.stop());
    const ses = await startSesLocal();
    stops.push(() => ses.stop());
    const s3 = await startS3Local({
      port: 0,
      buckets: services.filter((service) => service.bucket).map((service) => bucketNameOf(service.name)),
    });
    stops.push(() => s3.stop());
    const bus = new LocalEventBus(EVENT_BUS_NAME, REGION);
    const eventServer = createEventBridgeServer(bus);
    const eventPort = await listen(eventServer, 0);
    stops.push(() => close(eventServer));

    const commonEnvironment = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${eventPort}`,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      [EVENT_BUS_ENV]: EVENT_BUS_NAME,
    };
    // The seeds run in this process through the services' own stores: they need the same variables.
    Object.assign(process.env, commonEnvironment);

    const client = new DynamoDBClient({});
    stops.push(async () => client.destroy());
    const documents = createDocumentClient();
    const store = <Store>(service: string, Store: StoreClass<Store>) => new Store(documents, tableNameOf(service));
    for (const service of services) {
      process.env[service.table.envVar] = tableNameOf(service.name);
      if (service.bucket) process.env[service.bucket.envVar] = bucketNameOf(service.name);
      await ensureTable(client, tableNameOf(service.name), service.table);
      console.log(`  ${service.name}: table created, seed: ${await seedService(service)}`);
      const benchSeed = benchSeeds[service.name];
      if (benchSeed) console.log(`  ${service.name}: ${await benchSeed({ store })}`);
    }
    await ensureTable(client, MINIMAL_TABLE.name, standardTable("TABLE_NAME", []));
    await client.send(
      new PutItemCommand({
        TableName: MINIMAL_TABLE.name,
        Item: { pk: { S: `ITEM#${MINIMAL_TABLE.itemId}` }, sk: { S: "ITEM" }, name: { S: "A single item" } },
      }),
    );

    return {
      commonEnvironment,
      tableName: tableNameOf,
      readItem: async (service, key) =>
        (await documents.send(new GetCommand({ TableName: tableNameOf(service), Key: key }))).Item,
      store,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * What the function's process is given, and nothing more (not the benchmark's own environment): the variables
 * the CDK app sets (infra/lib/service-stack.ts, service-function.ts) and those Lambda itself sets.
 */
export function functionEnvironment(
  fn: BenchFunction,
  stack: Pick<LocalStack, "commonEnvironment" | "tableName">,
): Record<string, string> {
  const functionName = fn.id.replaceAll(".", "-");
  const service = fn.tableOf;
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    TZ: ":UTC",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize ?? 512),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    NODE_OPTIONS: "--enable-source-maps",
    ...stack.commonEnvironment,
    ...(fn.serviceName && { POWERTOOLS_SERVICE_NAME: fn.serviceName }),
    ...(service && { [service.table.envVar]: stack.tableName(service.name) }),
    ...(service?.bucket && { [service.bucket.envVar]: bucketNameOf(service.name) }),
    ...(service && CONFIGURED_ENVIRONMENT[service.name]),
    ...(fn.sendsEmail && { [SENDER_ADDRESS_ENV]: LOCAL_SENDER_ADDRESS }),
    ...fn.environment,
  };
}
