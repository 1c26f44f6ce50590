import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";

/** Real Lambda payloads for handler tests: API Gateway HTTP API (payload 2.0, JWT authorizer) and EventBridge. */

export function httpEvent(request: {
  method: string;
  path: string;
  pathParameters?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  groups?: string;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const requestId = randomUUID();
  return {
    version: "2.0",
    routeKey: `${request.method} ${request.path}`,
    rawPath: request.path,
    rawQueryString: "",
    headers: { "content-type": "application/json", ...request.headers },
    ...(request.pathParameters && { pathParameters: request.pathParameters }),
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      authorizer: {
        principalId: "",
        integrationLatency: 0,
        jwt: {
          claims: { sub: "officer-1", "cognito:groups": request.groups ?? "[international-affairs]" },
          scopes: [],
        },
      },
      domainName: "api.example",
      domainPrefix: "api",
      http: { method: request.method, path: request.path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "t" },
      requestId,
      routeKey: `${request.method} ${request.path}`,
      stage: "$default",
      time: "28/Nov/2026:00:00:00 +0000",
      timeEpoch: 1795824000000,
    },
    ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    isBase64Encoded: false,
  };
}

export function eventBridgeEvent(source: string, detailType: string, detail: unknown) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": detailType,
    source,
    account: "123456789012",
    time: "2026-11-28T01:00:00Z",
    region: "ap-northeast-1",
    resources: [],
    detail,
  };
}

export function lambdaContext(functionName = "city-registry-test"): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:123456789012:function:${functionName}`,
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
