import { randomUUID } from "node:crypto";
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { EventMetadata } from "@cdp/contracts";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { Refused } from "./decision.ts";
import { createDocumentClient } from "./dynamo.ts";
import { type HttpProblem, problemOf } from "./problems.ts";

/**
 * The payloads Lambda hands our functions in AWS, for handler tests and the benchmark: one builder
 * each, shared, so every test drives a handler with what API Gateway and EventBridge really send.
 * Not part of the kit's index: no function bundle carries it.
 */

export const TEST_REGION = "ap-northeast-1";
export const TEST_ACCOUNT = "123456789012";

export interface HttpEventOptions {
  readonly method?: string;
  /** The path as requested (`/partners/paris`). */
  readonly path?: string;
  /** The route's key; by default `METHOD path`. */
  readonly routeKey?: string;
  /** The `cognito:groups` claim as Cognito writes it (`[admin]`); null for no claims at all. */
  readonly groups?: string | null;
  readonly subject?: string;
  /** A string is sent as it is (malformed JSON included); anything else as JSON. */
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string>>;
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** API Gateway's request id, the correlation id when the caller sends none; a new one by default. */
  readonly requestId?: string;
}

/** A payload-2.0 event as the HTTP API sends it behind its JWT authorizer. */
export function httpEvent(options: HttpEventOptions = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = options.method ?? "GET";
  const path = options.path ?? "/things";
  const routeKey = options.routeKey ?? `${method} ${path}`;
  const now = new Date();
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { "content-type": "application/json", ...options.headers },
    ...(options.query && { queryStringParameters: { ...options.query } }),
    ...(options.pathParameters && { pathParameters: { ...options.pathParameters } }),
    requestContext: {
      accountId: TEST_ACCOUNT,
      apiId: "api",
      authorizer: {
        principalId: "",
        integrationLatency: 0,
        jwt: {
          claims:
            options.groups === null
              ? {}
              : {
                  sub: options.subject ?? "user-42",
                  "cognito:groups": options.groups ?? "[viewer]",
                  iss: `https://cognito-idp.${TEST_REGION}.amazonaws.com/${TEST_REGION}_test`,
                  exp: String(Math.floor(now.getTime() / 1000) + 3600),
                },
          scopes: [],
        },
      },
      domainName: "api.example",
      domainPrefix: "api",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
      requestId: options.requestId ?? randomUUID(),
      routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(options.body !== undefined && {
      body: typeof options.body === "string" ? options.body : JSON.stringify(options.body),
    }),
    isBase64Encoded: false,
  };
}

/** An event's own identity as a producer's outbox sets it; a new one is a new event. */
export function eventMetadata(eventId: string = randomUUID()): EventMetadata {
  return { eventId, correlationId: `test-${eventId}`, occurredAt: new Date().toISOString() };
}

/**
 * An EventBridge event as a rule delivers it to its target. The envelope id is EventBridge's, new on
 * every delivery by default; the event's own id travels in `detail.metadata`.
 */
export function eventBridgeEvent(
  source: string,
  detailType: string,
  detail: unknown,
  options: { envelopeId?: string } = {},
) {
  return {
    version: "0",
    id: options.envelopeId ?? randomUUID(),
    "detail-type": detailType,
    source,
    account: TEST_ACCOUNT,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: TEST_REGION,
    resources: [],
    detail,
  };
}

export function lambdaContext(functionName = "test-function"): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${TEST_REGION}:${TEST_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "stream",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A handler's answer with its JSON body parsed. */
export function answer(response: APIGatewayProxyStructuredResultV2): {
  status: number;
  headers: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: a test reads response bodies freely
  body: any;
} {
  return {
    status: response.statusCode ?? 0,
    headers: (response.headers ?? {}) as Record<string, unknown>,
    body: response.body ? JSON.parse(response.body) : undefined,
  };
}

type Key = Record<string, unknown>;

/**
 * A real document client whose BatchGetItem calls on `tableName` hand back the keys `withhold` picks
 * in `UnprocessedKeys`, as DynamoDB does under throttling, for the first `throttledCalls` calls; the
 * rest are read for real. `state.requests` records the keys of every call; `state.throttledCalls` may
 * be changed while a test runs (0: the throttling ends).
 */
export function throttledBatchGets(options: {
  tableName: string;
  throttledCalls: number;
  withhold: (keys: readonly Key[]) => readonly Key[];
}): { client: DynamoDBDocumentClient; state: { requests: Key[][]; throttledCalls: number } } {
  const client = createDocumentClient();
  const send = client.send.bind(client);
  const state = { requests: [] as Key[][], throttledCalls: options.throttledCalls };
  client.send = (async (command: unknown) => {
    if (!(command instanceof BatchGetCommand)) return send(command as BatchGetCommand);
    const asked = command.input.RequestItems?.[options.tableName];
    if (!asked?.Keys) return send(command);
    const keys = asked.Keys as Key[];
    state.requests.push(keys);
    if (state.throttledCalls <= 0) return send(command);
    state.throttledCalls--;
    const held = new Set(options.withhold(keys));
    const served = keys.filter((key) => !held.has(key));
    const output: BatchGetCommandOutput =
      served.length > 0
        ? await send(new BatchGetCommand({ RequestItems: { [options.tableName]: { ...asked, Keys: served } } }))
        : { $metadata: {}, Responses: { [options.tableName]: [] } };
    const unprocessed = keys.filter((key) => held.has(key));
    return {
      ...output,
      UnprocessedKeys: unprocessed.length > 0 ? { [options.tableName]: { ...asked, Keys: unprocessed } } : {},
    };
  }) as typeof client.send;
  return { client, state };
}

/** The problem+json the HTTP kit answers for the refusal a use case ends in; fails when it ends in none. */
export async function problemOfRefusal(promise: Promise<unknown>): Promise<HttpProblem> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Refused) return problemOf(error.refusal);
    throw error;
  }
  throw new Error("expected a refusal, got none");
}
