import middy from "@middy/core";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type * as z from "zod/v4/core";
import { safeParse } from "zod/v4/core";
import { type Caller, callerOf } from "./auth.ts";
import { TransactionTooLarge, VersionConflict } from "./conflict.ts";
import { Refused } from "./decision.ts";
import type { Logger } from "./logger.ts";
import { createLogger, injectLambdaContext } from "./logger.ts";
import type { RouteSpec } from "./manifest.ts";
import { FunctionMetrics, METRIC } from "./metrics.ts";
import { type FieldError, fieldErrors, HttpProblem, problemOf, problems } from "./problems.ts";
import { isThrottling, THROTTLED_RETRY_AFTER_SECONDS } from "./throttling.ts";
import type { WriteContext } from "./transaction.ts";

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export interface HttpRequest<Params, Query, Body> {
  readonly params: Params;
  readonly query: Query;
  readonly body: Body;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly caller: Caller;
  readonly correlationId: string;
  /** API Gateway's id of this request, for audit trails (the correlation id may span many requests). */
  readonly requestId: string;
  readonly log: Logger;
  /** The path as requested, for Location headers. */
  readonly path: string;
}

export interface HttpResult {
  readonly status: number;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as it is, for formats other than JSON (an iCalendar feed, say). */
  readonly text?: { readonly contentType: string; readonly content: string };
  readonly headers?: Readonly<Record<string, string>>;
}

const CORRELATION_HEADER = "x-correlation-id";
const CORRELATION_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

function lowerCaseHeaders(headers: HttpEvent["headers"]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

function parsePart<S extends z.$ZodType>(
  part: string,
  schema: S | undefined,
  value: unknown,
  errors: FieldError[],
): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const parsed = safeParse(schema, value);
  if (parsed.success) return parsed.data;
  errors.push(...fieldErrors(part, parsed.error));
  return undefined as z.output<S>;
}

/** The API's limit on a request body: far above any input the schemas allow, far below Lambda's 6 MB. */
export const MAX_REQUEST_BODY_BYTES = 1_048_576;

/** `application/json` or a `+json` type, with or without parameters such as charset. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

function readJsonBody(
  event: HttpEvent,
  headers: Readonly<Record<string, string | undefined>>,
  errors: FieldError[],
): unknown {
  if (event.body === undefined || event.body === null || event.body === "") return undefined;
  const contentType = headers["content-type"] ?? "";
  if (!JSON_MEDIA_TYPE.test(contentType)) throw problems.unsupportedMediaType(contentType);
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
  if (bytes.length > MAX_REQUEST_BODY_BYTES) {
    throw problems.payloadTooLarge(`The body is ${bytes.length} bytes; at most ${MAX_REQUEST_BODY_BYTES} are taken`, [
      { path: "body", message: `must be at most ${MAX_REQUEST_BODY_BYTES} bytes` },
    ]);
  }
  const text = bytes.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    errors.push({ path: "body", message: "must be valid JSON" });
    return undefined;
  }
}

/** A refusal's kind as the metrics name it: the domain's own kinds, and the kit's problems by their type. */
function refusalKindOf(refused: unknown, problem: HttpProblem): string {
  if (refused instanceof Refused) return refused.refusal.kind;
  const slug = problem.type.slice(problem.type.lastIndexOf("/") + 1);
  return ({ validation: "invalid", "stale-version": "stale" } as Record<string, string>)[slug] ?? slug;
}

function problemResponse(problem: HttpProblem, correlationId: string, instance: string): HttpResponse {
  return {
    statusCode: problem.status,
    headers: { "content-type": "application/problem+json", [CORRELATION_HEADER]: correlationId },
    body: JSON.stringify({
      type: problem.type,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance,
      correlationId,
      ...problem.extensions,
    }),
  };
}

/**
 * Wraps a route's business function: resolves the caller and their roles, parses path, query and
 * body with the route's schemas (every offending field in one 400), runs it, and maps any problem
 * to RFC 9457 problem+json. The business function never sees unvalidated input.
 */
export function httpHandler<Params extends z.$ZodType, Query extends z.$ZodType, Body extends z.$ZodType>(
  route: RouteSpec<Params, Query, Body>,
  serve: (request: HttpRequest<z.output<Params>, z.output<Query>, z.output<Body>>) => Promise<HttpResult>,
  options: { serviceName: string },
): (event: HttpEvent, context: Context) => Promise<HttpResponse> {
  const log = createLogger(options.serviceName);
  const metrics = new FunctionMetrics(options.serviceName, { operation: route.operationId });
  const refused = (kind: string) => metrics.countBy(METRIC.requestRefused, { refusal: kind });

  const core = async (event: HttpEvent): Promise<HttpResponse> => {
    metrics.count(METRIC.request);
    const headers = lowerCaseHeaders(event.headers);
    const requested = headers[CORRELATION_HEADER];
    const correlationId = requested && CORRELATION_PATTERN.test(requested) ? requested : event.requestContext.requestId;
    log.appendKeys({ correlationId, operation: route.operationId });
    const instance = event.rawPath;
    try {
      const caller = callerOf(event);
      if (!caller) throw problems.unauthorized();
      if (!caller.roles.some((role) => route.roles.includes(role))) throw problems.forbidden(route.roles);

      const errors: FieldError[] = [];
      const params = parsePart("path", route.request.params, event.pathParameters ?? {}, errors);
      const query = parsePart("query", route.request.query, event.queryStringParameters ?? {}, errors);
      const rawBody = route.request.body ? readJsonBody(event, headers, errors) : undefined;
      const body =
        route.request.body && !errors.some((e) => e.path === "body")
          ? parsePart("body", route.request.body, rawBody, errors)
          : (undefined as z.output<Body>);
      if (errors.length > 0) throw problems.validation(errors);

      const result = await serve({
        params,
        query,
        body,
        headers,
        caller,
        correlationId,
        requestId: event.requestContext.requestId,
        log,
        path: event.rawPath,
      });
      log.info("request served", { status: result.status, subject: caller.subject });
      const contentType = result.text
        ? result.text.contentType
        : result.body !== undefined
          ? "application/json"
          : undefined;
      const payload = result.text
        ? result.text.content
        : result.body !== undefined
          ? JSON.stringify(result.body)
          : undefined;
      return {
        statusCode: result.status,
        headers: {
          ...(contentType && { "content-type": contentType }),
          [CORRELATION_HEADER]: correlationId,
          ...result.headers,
        },
        ...(payload !== undefined && { body: payload }),
      };
    } catch (caught) {
      const error = caught instanceof Refused ? problemOf(caught.refusal) : caught;
      if (error instanceof HttpProblem) {
        log.info("request refused", { status: error.status, type: error.type });
        if (error.status >= 500) metrics.count(METRIC.requestFailed);
        else refused(refusalKindOf(caught, error));
        return problemResponse(error, correlationId, instance);
      }
      if (error instanceof TransactionTooLarge) {
        log.warn("request too large to write", { detail: error.message });
        refused("too-large");
        return problemResponse(problems.payloadTooLarge(error.message), correlationId, instance);
      }
      if (error instanceof VersionConflict) {
        log.info("request lost a race", { status: 409 });
        refused("lost-race");
        return problemResponse(
          problems.conflict("The data changed while this request was being served; read it again and retry"),
          correlationId,
          instance,
        );
      }
      if (isThrottling(error)) {
        // Capacity, not a fault: the SDK's retries are spent; the caller may try again shortly.
        const { name, $metadata } = error as {
          name?: string;
          $metadata?: { attempts?: number; totalRetryDelay?: number };
        };
        log.warn("request throttled by DynamoDB after the SDK's retries", {
          errorName: name,
          attempts: $metadata?.attempts,
          retryDelayMs: $metadata?.totalRetryDelay,
        });
        metrics.count(METRIC.requestFailed);
        const throttled = problemResponse(
          problems.unavailable("The service is busy right now; try again in a moment"),
          correlationId,
          instance,
        );
        return {
          ...throttled,
          headers: { ...throttled.headers, "retry-after": String(THROTTLED_RETRY_AFTER_SECONDS) },
        };
      }
      log.error("request failed", error as Error);
      metrics.count(METRIC.requestFailed);
      return problemResponse(problems.internal(), correlationId, instance);
    } finally {
      log.removeKeys(["correlationId", "operation"]);
    }
  };

  return middy<HttpEvent, HttpResponse>()
    .use(injectLambdaContext(log))
    .handler((event) => metrics.around(() => core(event)));
}

/** Who writes, under which correlation id and request, and when: what a store records with every change. */
export function writeContextOf(request: HttpRequest<unknown, unknown, unknown>): WriteContext {
  return {
    actor: request.caller.subject,
    correlationId: request.correlationId,
    requestId: request.requestId,
    now: new Date(),
  };
}

/** If-Match when the caller sends it (life-cycle steps take it optionally; their state check guards them anyway). */
export function optionalIfMatch(headers: Readonly<Record<string, string | undefined>>): number | undefined {
  return headers["if-match"] === undefined ? undefined : requireIfMatch(headers);
}

/**
 * A route that changes the entity named in its path (`{id}`), on the version sent in If-Match if any, and answers
 * it with 200 and its new version as the ETag: the shape of every life-cycle step and edit.
 */
export function versionedStepHandler<Params extends z.$ZodType<{ id: string }>, Body extends z.$ZodType>(
  route: RouteSpec<Params, z.$ZodType, Body>,
  run: (
    id: string,
    body: z.output<Body>,
    expectedVersion: number | undefined,
    context: WriteContext,
  ) => Promise<{ readonly version: number }>,
  options: { serviceName: string },
): (event: HttpEvent, context: Context) => Promise<HttpResponse> {
  return httpHandler(
    route,
    async (request) => {
      const changed = await run(
        request.params.id,
        request.body,
        optionalIfMatch(request.headers),
        writeContextOf(request),
      );
      return { status: 200, body: changed, headers: { etag: etag(changed.version) } };
    },
    options,
  );
}

/** `If-Match: "3"`, `W/"3"` or `3` → 3; 428 when absent, 400 when not a version. */
export function requireIfMatch(headers: Readonly<Record<string, string | undefined>>): number {
  const raw = headers["if-match"];
  if (raw === undefined || raw.trim() === "") throw problems.preconditionRequired();
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!match?.[1]) {
    throw problems.badRequest("If-Match must be the version (ETag) you read", [
      { path: "headers.if-match", message: 'must be an ETag such as "3"' },
    ]);
  }
  return Number(match[1]);
}

export function etag(version: number): string {
  return `"${version}"`;
}
