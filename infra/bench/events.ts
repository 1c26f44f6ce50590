import { randomUUID } from "node:crypto";
import { marshall } from "@aws-sdk/util-dynamodb";
import { OUTBOX_PREFIX } from "@cdp/lambda-kit";
import { httpEvent, TEST_ACCOUNT, TEST_REGION } from "@cdp/lambda-kit/testing";
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  DynamoDBStreamEvent,
  AttributeValue as StreamAttributeValue,
} from "aws-lambda";

/**
 * The events each kind of function receives in AWS, built the way the services send them, so a
 * benchmarked invocation runs the same code paths as a real one.
 */

export const REGION = TEST_REGION;
const ACCOUNT = TEST_ACCOUNT;

/** What a sample request names; the method, the route and the caller come from the route itself. */
export interface HttpSample {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpRequestSpec {
  readonly method: string;
  /** API Gateway path syntax: `/partners/{id}`. */
  readonly pathTemplate: string;
  /** One role allowed on the route: the JWT authorizer passes it in `cognito:groups`. */
  readonly role: string;
  readonly sample: HttpSample;
}

export function concretePath(pathTemplate: string, params: Readonly<Record<string, string>> = {}): string {
  return pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${pathTemplate}: no value for path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

/** A payload-2.0 event as the HTTP API sends it behind its JWT authorizer, with a browser's usual headers. */
export function apiGatewayEvent(request: HttpRequestSpec): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { method, pathTemplate, role, sample } = request;
  return httpEvent({
    method,
    path: concretePath(pathTemplate, sample.params),
    routeKey: `${method} ${pathTemplate}`,
    groups: `[${role}]`,
    subject: "bench-user",
    ...(sample.query && { query: sample.query }),
    ...(sample.params && { pathParameters: sample.params }),
    ...(sample.body !== undefined && { body: sample.body }),
    headers: {
      accept: "application/json",
      authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.benchmark.signature",
      host: "api.example",
      "user-agent": "cdp-bench",
      "x-forwarded-for": "192.0.2.1",
      "x-forwarded-proto": "https",
      ...sample.headers,
    },
  });
}

/** An EventBridge event as a rule delivers it to its target; a fresh envelope id each time. */
export { eventBridgeEvent } from "@cdp/lambda-kit/testing";

/** What EventBridge Scheduler sends (the services configure `scheduledTime`). */
export function scheduledEvent(at = new Date()): { scheduledTime: string } {
  return { scheduledTime: at.toISOString() };
}

/** A stream batch of one new outbox item, shaped as the kit's Transaction.publish writes it. */
export function outboxStreamEvent(
  tableName: string,
  event: { source: string; detailType: string; detail: unknown },
): DynamoDBStreamEvent {
  const now = new Date();
  const item = {
    pk: `${OUTBOX_PREFIX}${randomUUID()}`,
    sk: "OUTBOX",
    source: event.source,
    detailType: event.detailType,
    detail: JSON.stringify(event.detail),
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + 7 * 24 * 3600,
  };
  // The SDK's and the Lambda event's AttributeValue types differ only in how they spell the union.
  const image = marshall(item) as unknown as Record<string, StreamAttributeValue>;
  return {
    Records: [
      {
        eventID: randomUUID().replaceAll("-", ""),
        eventName: "INSERT",
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: REGION,
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(now.getTime() / 1000),
          Keys: { pk: image.pk as StreamAttributeValue, sk: image.sk as StreamAttributeValue },
          NewImage: image,
          SequenceNumber: String(now.getTime()).padEnd(21, "0"),
          SizeBytes: JSON.stringify(item).length,
          StreamViewType: "NEW_AND_OLD_IMAGES",
        },
        eventSourceARN: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}/stream/${now.toISOString()}`,
      },
    ],
  };
}
