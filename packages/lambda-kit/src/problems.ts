import type * as z from "zod/v4/core";
import { describeRefusal, type FieldError, type Refusal } from "./decision.ts";

export type { FieldError } from "./decision.ts";

/** An RFC 9457 problem. `type` is stable; clients switch on it, people read `detail`. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
  }
}

const PROBLEM_BASE = "https://city-diplomacy.metro.tokyo.lg.jp/problems";

export const problems = {
  validation: (errors: readonly FieldError[]) =>
    new HttpProblem(
      400,
      `${PROBLEM_BASE}/validation`,
      "Invalid request",
      `The request has invalid fields: ${[...new Set(errors.map((e) => e.path))].join(", ")}`,
      { errors },
    ),
  badRequest: (detail: string, errors: readonly FieldError[] = []) =>
    new HttpProblem(400, `${PROBLEM_BASE}/validation`, "Invalid request", detail, { errors }),
  unauthorized: (detail = "A valid bearer token is required") =>
    new HttpProblem(401, `${PROBLEM_BASE}/unauthorized`, "Unauthorized", detail),
  forbidden: (required: readonly string[]) =>
    new HttpProblem(
      403,
      `${PROBLEM_BASE}/forbidden`,
      "Forbidden",
      `This action needs one of the roles: ${required.join(", ")}`,
      {
        requiredRoles: required,
      },
    ),
  notFound: (what: string) => new HttpProblem(404, `${PROBLEM_BASE}/not-found`, "Not found", `${what} does not exist`),
  conflict: (detail: string, extensions: Readonly<Record<string, unknown>> = {}) =>
    new HttpProblem(409, `${PROBLEM_BASE}/conflict`, "Conflict", detail, extensions),
  preconditionFailed: (current: number) =>
    new HttpProblem(
      412,
      `${PROBLEM_BASE}/stale-version`,
      "Precondition failed",
      `The resource has changed: its current version is ${current}. Read it again and retry.`,
      { currentVersion: current },
    ),
  preconditionRequired: () =>
    new HttpProblem(
      428,
      `${PROBLEM_BASE}/precondition-required`,
      "Precondition required",
      "This update needs an If-Match header with the version you read",
    ),
  /** RFC 9110 422: the request is well formed but cannot be processed as sent (an idempotency key reused). */
  unprocessable: (detail: string, extensions: Readonly<Record<string, unknown>> = {}) =>
    new HttpProblem(422, `${PROBLEM_BASE}/unprocessable`, "Unprocessable content", detail, extensions),
  payloadTooLarge: (detail: string, errors: readonly FieldError[] = []) =>
    new HttpProblem(413, `${PROBLEM_BASE}/payload-too-large`, "Payload too large", detail, { errors }),
  unsupportedMediaType: (received: string) =>
    new HttpProblem(
      415,
      `${PROBLEM_BASE}/unsupported-media-type`,
      "Unsupported media type",
      `The body must be JSON (Content-Type: application/json), not ${received || "unnamed"}`,
      { errors: [{ path: "headers.content-type", message: "must be application/json" }] },
    ),
  unavailable: (detail: string) => new HttpProblem(503, `${PROBLEM_BASE}/unavailable`, "Service unavailable", detail),
  internal: () =>
    new HttpProblem(
      500,
      `${PROBLEM_BASE}/internal`,
      "Internal error",
      "Something went wrong on our side; it has been logged",
    ),
};

/** Turns zod issues into field errors whose paths start at the request part (`body.name.en`). */
export function fieldErrors(part: string, error: z.$ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
}

/** The problem+json a domain refusal becomes; the only place refusals meet HTTP status codes. */
export function problemOf(refusal: Refusal): HttpProblem {
  switch (refusal.kind) {
    case "not-found":
      return problems.notFound(refusal.what);
    case "conflict":
      return problems.conflict(refusal.detail, { currentStatus: refusal.currentState, ...refusal.facts });
    case "rule-broken":
      return problems.conflict(refusal.detail, { rule: refusal.rule, ...refusal.facts });
    case "stale":
      return problems.preconditionFailed(refusal.currentVersion);
    case "invalid":
      return refusal.errors.length > 0
        ? problems.validation(refusal.errors)
        : problems.badRequest(describeRefusal(refusal));
  }
}
