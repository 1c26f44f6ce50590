import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from "aws-lambda";

/** A payload-2.0 event as API Gateway's HTTP API sends it behind a JWT authorizer. */
export function httpEvent(options: {
  method?: string;
  path?: string;
  routeKey?: string;
  groups?: string | null;
  body?: string;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = options.method ?? "GET";
  const path = options.path ?? "/things";
  return {
    version: "2.0",
    routeKey: options.routeKey ?? `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { "content-type": "application/json", ...options.headers },
    ...(options.query && { queryStringParameters: options.query }),
    ...(options.pathParameters && { pathParameters: options.pathParameters }),
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      authorizer: {
        principalId: "",
        integrationLatency: 0,
        jwt: {
          claims:
            options.groups === null
              ? {}
              : {
                  sub: "user-42",
                  "cognito:groups": options.groups ?? "[viewer]",
                  iss: "https://cognito-idp",
                  exp: "4102444800",
                },
          scopes: [],
        },
      },
      domainName: "api.example",
      domainPrefix: "api",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
      requestId: "req-1",
      routeKey: `${method} ${path}`,
      stage: "$default",
      time: "28/Nov/2026:00:00:00 +0000",
      timeEpoch: 1795824000000,
    },
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: false,
  };
}

export function lambdaContext(functionName = "test-function"): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: `req-${Math.random()}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "stream",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
