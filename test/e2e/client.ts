import { randomUUID } from "node:crypto";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { type ApiClient, createApiClient } from "@cdp/api-client";
import type { Role } from "@cdp/contracts";
import { mintToken } from "@cdp/local-cloud/dev-issuer";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through vitest with the e2e global setup`);
  return value;
}

export const api = required("E2E_API");
export const eventsEndpoint = required("E2E_EVENTS");
export const sesEndpoint = required("E2E_SES");
const keyFile = required("E2E_ISSUER_KEY_FILE");

export const eventBridge = new EventBridgeClient({
  endpoint: eventsEndpoint,
  region: "ap-northeast-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  requestHandler: { requestTimeout: 5000 },
});

const tokens = new Map<string, Promise<string>>();
export function tokenFor(...roles: Role[]): Promise<string> {
  const key = roles.join(",");
  if (!tokens.has(key)) tokens.set(key, mintToken(keyFile, roles, { subject: `e2e-${key}` }));
  return tokens.get(key) as Promise<string>;
}

const clients = new Map<string, ApiClient>();

/**
 * The typed API client that front ends use (`@cdp/api-client`, generated from the OpenAPI document), with a
 * token for these roles (admin when none is named). Every request the contract allows goes through it, so a
 * client that no longer matches the API fails here.
 */
export function apiAs(...roles: Role[]): ApiClient {
  const signedIn: Role[] = roles.length > 0 ? roles : ["admin"];
  const key = signedIn.join(",");
  let client = clients.get(key);
  if (!client) {
    client = createApiClient({ baseUrl: api, token: () => tokenFor(...signedIn) });
    clients.set(key, client);
  }
  return client;
}

/** The typed client sending this token as it is, or none (null): for what the authorizer refuses. */
export function apiWithToken(token: string | null): ApiClient {
  return createApiClient({ baseUrl: api, ...(token !== null && { token }) });
}

/** The body of a successful reply; any other reply fails the test, naming its status and problem. */
export function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok || result.data === undefined) {
    throw new Error(`${result.response.status} from ${result.response.url}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  readonly body: any;
}

/**
 * A raw request, for what the typed client will not send on purpose: bodies and parameters that break the
 * contract, malformed JSON, routes that do not exist.
 */
export async function call(
  method: string,
  path: string,
  options: {
    roles?: Role[];
    token?: string | null;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const token = options.token === undefined ? await tokenFor(...(options.roles ?? ["admin"])) : options.token;
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(token !== null && { authorization: `Bearer ${token}` }),
      ...((options.body !== undefined || options.rawBody !== undefined) && { "content-type": "application/json" }),
      ...options.headers,
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    ...(options.rawBody !== undefined && { body: options.rawBody }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export interface BusEvent {
  id: string;
  source: string;
  "detail-type": string;
  // biome-ignore lint/suspicious/noExplicitAny: event details are read loosely in assertions
  detail: any;
}

/** An event's own identity, as a producer's outbox sets it; a new one is a new event. */
export function eventMetadata(eventId: string = randomUUID()) {
  return { eventId, correlationId: `e2e-${eventId}`, occurredAt: new Date().toISOString() };
}

export async function busEvents(detailType?: string): Promise<BusEvent[]> {
  const query = detailType ? `?detail-type=${encodeURIComponent(detailType)}` : "";
  const response = await fetch(`${eventsEndpoint}/events${query}`);
  return ((await response.json()) as { events: BusEvent[] }).events;
}

/**
 * Checks again each time the local cloud has finished what was under way, until the check passes:
 * the bus and the stream relay work asynchronously, as in AWS. Quiet is a condition, not a time; the
 * deadline only ends a wait for what will never come (a slow machine takes longer to get quiet, not
 * more rounds), so it is generous.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await settled();
    }
  }
}

/**
 * Resolves once the local cloud is quiet: every outbox relayed, every event delivered (retries
 * included). Asserting that something did not happen waits for this, never for a fixed time.
 */
export async function settled(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${eventsEndpoint}/settle`, { method: "POST" });
    } catch (error) {
      // A kept-alive socket the server closed as the request went out (its idle timeout, late on a busy machine):
      // waiting for quiet is safe to ask again.
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (attempt < 3 && (code === "UND_ERR_SOCKET" || code === "ECONNRESET")) continue;
      throw error;
    }
    if (response.status !== 200) throw new Error(`the local cloud did not settle: ${await response.text()}`);
    return;
  }
}

/** The number of events on the bus once everything under way has finished. */
export async function quietEventCount(): Promise<number> {
  await settled();
  return (await busEvents()).length;
}

/**
 * Every write the services have made to DynamoDB so far (the local cloud's proxy in front of DynamoDB Local counts
 * them): what "nothing was written" is checked against, cheaply, in one call. A refused condition is no write.
 */
export async function writesSoFar(): Promise<number> {
  const response = await fetch(`${eventsEndpoint}/faults`);
  const { dynamodb } = (await response.json()) as { dynamodb?: { writes: number } };
  if (!dynamodb) throw new Error("the local cloud runs no DynamoDB proxy: it cannot count writes");
  return dynamodb.writes;
}
