import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { docsAsset } from "./docs-page.ts";
import { BodyTooLarge, readBody, sendJson } from "./http-util.ts";
import type { LocalFunction } from "./lambda-runtime.ts";
import type { ReadinessState } from "./readiness.ts";

export interface GatewayRoute {
  readonly method: string;
  /** `/partners/{id}` */
  readonly path: string;
  readonly target: LocalFunction;
}

interface CompiledRoute extends GatewayRoute {
  readonly regex: RegExp;
  readonly paramNames: readonly string[];
  readonly staticSegments: number;
}

function compile(route: GatewayRoute): CompiledRoute {
  const paramNames: string[] = [];
  let staticSegments = 0;
  const pattern = route.path
    .split("/")
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (!param?.[1]) {
        staticSegments++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      paramNames.push(param[1]);
      return param[2] ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return { ...route, regex: new RegExp(`^${pattern}$`), paramNames, staticSegments };
}

/** API Gateway passes claims as strings; arrays become `[a b]`, as the JWT authorizer does. */
function claimsAsAuthorizerPassesThem(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    claims[name] = Array.isArray(value)
      ? `[${value.map(String).join(" ")}]`
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  }
  return claims;
}

function joinedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== "cookie") headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

/** As the CDK app configures the HTTP API's CORS (infra/lib/shared-stack.ts). */
const CORS_PREFLIGHT_HEADERS = {
  "access-control-allow-methods": "GET,POST,PUT,PATCH,DELETE",
  "access-control-allow-headers": "authorization,content-type,if-match,x-correlation-id",
  "access-control-max-age": "3600",
};
const CORS_EXPOSE_HEADERS = "etag,location,x-correlation-id";

/**
 * API Gateway's CORS: only a configured origin is named back (never `*`: the API takes bearer tokens from
 * browsers of known front ends only); another origin gets no CORS header, so its browser refuses the answer.
 */
function applyCors(request: IncomingMessage, response: ServerResponse, allowedOrigins: ReadonlySet<string>): boolean {
  response.setHeader("vary", "origin");
  const origin = request.headers.origin;
  if (!origin || !allowedOrigins.has(origin)) return false;
  response.setHeader("access-control-allow-origin", origin);
  response.setHeader("access-control-expose-headers", CORS_EXPOSE_HEADERS);
  return true;
}

/** What the gateway itself answers with on every response: the API serves data, never pages to frame or sniff. */
const RESPONSE_SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "cache-control": "no-store",
};

/**
 * HTTP API's quota on the request line and headers together is 10,240 bytes; Node counts the same (request line
 * included) against `maxHeaderSize`, and answers past it with 431.
 */
export const MAX_HEADER_BYTES = 10_240;
/**
 * A synchronous Lambda invocation takes at most 6 MB, so API Gateway answers 413 past it. The API's own, lower
 * limit is the HTTP kit's (problem+json naming the body), as it is in AWS.
 */
const MAX_PAYLOAD_BYTES = 6_291_456;

/** How long an answered bad request's connection may still take the client's bytes before it is closed. */
const LINGER_MS = 5_000;

const READY: ReadinessState = { status: "ready", waitingFor: [] };

/** 503 problem+json naming what is still starting (or why starting failed, or that it stops); clients retry after a second. */
function sendNotReady(response: ServerResponse, readiness: ReadinessState): void {
  const detail =
    readiness.status === "failed"
      ? `The local cloud failed to start: ${readiness.failure}`
      : readiness.status === "stopping"
        ? "The local cloud is stopping"
        : `The local cloud is still starting; waiting for ${readiness.waitingFor.join(", ")}`;
  response.setHeader("retry-after", "1");
  sendJson(
    response,
    503,
    {
      type: "about:blank",
      title: "Service Unavailable",
      status: 503,
      detail,
      state: readiness.status,
      waitingFor: readiness.waitingFor,
    },
    "application/problem+json",
  );
}

export interface GatewayOptions {
  readonly routes: readonly GatewayRoute[];
  readonly verify: (token: string) => Promise<Record<string, unknown>>;
  readonly openApi: () => unknown;
  /** What is still starting: `/health` and every route answer 503 until it is ready. Ready when absent. */
  readonly readiness?: () => ReadinessState;
  /** Browser origins allowed by CORS (the deployment's `allowedOrigins`); none when absent. */
  readonly allowedOrigins?: readonly string[];
}

/**
 * The HTTP API stand-in: matches routes as API Gateway does (static segments win), verifies the
 * bearer token as the JWT authorizer would, and invokes the route's function with a payload-2.0 event.
 */
export function createGateway(options: GatewayOptions): Server {
  const routes = options.routes.map(compile).sort((a, b) => b.staticSegments - a.staticSegments);
  const allowedOrigins = new Set(options.allowedOrigins ?? []);

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const method = request.method ?? "GET";
    for (const [name, value] of Object.entries(RESPONSE_SECURITY_HEADERS)) response.setHeader(name, value);
    const corsAllowed = applyCors(request, response, allowedOrigins);
    if (method === "OPTIONS") {
      if (corsAllowed)
        for (const [name, value] of Object.entries(CORS_PREFLIGHT_HEADERS)) response.setHeader(name, value);
      return void response.writeHead(204).end();
    }
    const readiness = options.readiness?.() ?? READY;
    if (method === "GET" && url.pathname === "/health") {
      if (readiness.status !== "ready") return sendNotReady(response, readiness);
      return sendJson(response, 200, { status: "ok", node: process.version });
    }
    if (method === "GET" && url.pathname === "/openapi.json") return sendJson(response, 200, options.openApi());
    const docs = method === "GET" ? docsAsset(url.pathname) : undefined;
    if (docs) return void response.writeHead(200, docs.headers).end(docs.body);

    // No function is called before the tables, rules and seed it relies on exist.
    if (readiness.status !== "ready") return sendNotReady(response, readiness);
    const matched = routes
      .filter((r) => r.method === method)
      .map((r) => ({ route: r, found: r.regex.exec(url.pathname) }))
      .find((m) => m.found !== null);
    if (!matched?.found) return sendJson(response, 404, { message: "Not Found" });
    // API Gateway refuses a path whose parameter does not decode (`%E0%A4%A`), as a bad request of its own.
    const pathParameters: Record<string, string> = {};
    try {
      matched.route.paramNames.forEach((name, index) => {
        pathParameters[name] = decodeURIComponent(matched.found?.[index + 1] ?? "");
      });
    } catch {
      return sendJson(response, 400, { message: "Bad Request" });
    }
    const { route } = matched;

    const authorization = request.headers.authorization ?? "";
    const token = authorization.replace(/^Bearer\s+/i, "").trim();
    let claims: Record<string, string>;
    try {
      if (!token) throw new Error("no token");
      claims = claimsAsAuthorizerPassesThem(await options.verify(token));
    } catch {
      response.setHeader("www-authenticate", 'Bearer error="invalid_token"');
      return sendJson(response, 401, { message: "Unauthorized" });
    }

    let body: Buffer;
    try {
      body = await readBody(request, MAX_PAYLOAD_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendJson(response, 413, { message: "Request Entity Too Large" });
      throw error;
    }
    const query: Record<string, string> = {};
    for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(",");
    const contentType = String(request.headers["content-type"] ?? "");
    const textual = body.length === 0 || /json|text|xml|form/.test(contentType);
    const now = new Date();
    const routeKey = `${route.method} ${route.path}`;
    const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
      version: "2.0",
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      ...(request.headers.cookie && { cookies: request.headers.cookie.split(/;\s*/) }),
      headers: joinedHeaders(request),
      ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
      ...(route.paramNames.length > 0 && { pathParameters }),
      requestContext: {
        accountId: "000000000000",
        apiId: "local",
        authorizer: { principalId: "", integrationLatency: 0, jwt: { claims, scopes: [] } },
        domainName: String(request.headers.host ?? "localhost"),
        domainPrefix: "localhost",
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
          userAgent: String(request.headers["user-agent"] ?? ""),
        },
        requestId: randomUUID(),
        routeKey,
        stage: "$default",
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      ...(body.length > 0 && { body: textual ? body.toString("utf8") : body.toString("base64") }),
      isBase64Encoded: !textual,
    };

    let result: APIGatewayProxyStructuredResultV2;
    try {
      result = (await route.target.invoke(event)) as APIGatewayProxyStructuredResultV2;
    } catch (error) {
      console.error(`[gateway] ${routeKey} failed:`, error);
      return sendJson(response, 500, { message: "Internal Server Error" });
    }
    const payload = result.body ?? "";
    response.writeHead(result.statusCode ?? 200, {
      ...Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
      "content-length": Buffer.byteLength(payload, result.isBase64Encoded ? "base64" : "utf8"),
    });
    response.end(result.isBase64Encoded ? Buffer.from(payload, "base64") : payload);
  }

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
    serve(request, response).catch((error: unknown) => {
      console.error("[gateway] unexpected failure:", error);
      if (!response.headersSent) sendJson(response, 500, { message: "Internal Server Error" });
    });
  });
  // A request Node cannot parse (headers or request line too large, malformed) is answered, not just cut off. Node
  // emits clientError again for each later chunk of the same request: once answered, the socket lingers, dropping
  // what the client still sends until it is done (or LINGER_MS), so that the client reads the answer, not a reset.
  const answered = new WeakSet<object>();
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (answered.has(socket)) return;
    if (!socket.writable) return socket.destroy();
    answered.add(socket);
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    const body = JSON.stringify({ message: status === 431 ? "Request Header Fields Too Large" : "Bad Request" });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
