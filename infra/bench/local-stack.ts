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
import { startSesLocal } from "@cdp/ses-local";
import { REGION } from "./events.ts";
import type { BenchFunction } from "./functions.ts";
import { MINIMAL_TABLE } from "./functions.ts";
import type { StoreClass } from "./samples.ts";

/** As the local cloud names them. */
const tableNameOf = (service: string) => service;

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
 * One DynamoDB Local, the SES stand-in and one in-process EventBridge, with every service's table created from
 * its manifest and seeded, plus the minimal handler's table and item. `stop` ends all of it; so does a failure
 * while starting.
 */
export async function startLocalStack(services: readonly ServiceManifest[]): Promise<LocalStack> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const dynamo = await startDynamoDbLocal();
    stops.push(() => dynamo.stop());
    const ses = await startSesLocal();
    stops.push(() => ses.stop());
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
      [EVENT_BUS_ENV]: EVENT_BUS_NAME,
    };
    // The seeds run in this process through the services' own stores: they need the same variables.
    Object.assign(process.env, commonEnvironment);

    const client = new DynamoDBClient({});
    stops.push(async () => client.destroy());
    const documents = createDocumentClient();
    for (const service of services) {
      process.env[service.table.envVar] = tableNameOf(service.name);
      await ensureTable(client, tableNameOf(service.name), service.table);
      console.log(`  ${service.name}: table created, seed: ${await seedService(service)}`);
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
      store: (service, Store) => new Store(documents, tableNameOf(service)),
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
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    TZ: ":UTC",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    NODE_OPTIONS: "--enable-source-maps",
    ...stack.commonEnvironment,
    ...(fn.serviceName && { POWERTOOLS_SERVICE_NAME: fn.serviceName }),
    ...(fn.tableOf && { [fn.tableOf.table.envVar]: stack.tableName(fn.tableOf.name) }),
    ...(fn.sendsEmail && { [SENDER_ADDRESS_ENV]: LOCAL_SENDER_ADDRESS }),
    ...fn.environment,
  };
}
