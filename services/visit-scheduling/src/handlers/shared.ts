import {
  createDocumentClient,
  etag,
  type HttpRequest,
  httpHandler,
  type RouteSpec,
  requireIfMatch,
  tableNameFrom,
  type WriteContext,
} from "@cdp/lambda-kit";
import type * as core from "zod/v4/core";
import { SERVICE_NAME } from "../api.ts";
import type { TransitionCommand } from "../domain/decide-visit.ts";
import { table } from "../manifest.ts";
import { VisitScheduling } from "../use-cases.ts";

/** Created once per function instance, never per request. */
export const scheduling = new VisitScheduling(createDocumentClient(), tableNameFrom(table.envVar));
export const options = { serviceName: SERVICE_NAME };

export function writeContext(request: HttpRequest<unknown, unknown, unknown>): WriteContext {
  return { actor: request.caller.subject, correlationId: request.correlationId, now: new Date() };
}

/** Life-cycle actions take If-Match when the caller sends it; the state check guards them anyway. */
export function optionalIfMatch(request: HttpRequest<unknown, unknown, unknown>): number | undefined {
  return request.headers["if-match"] === undefined ? undefined : requireIfMatch(request.headers);
}

/** A life-cycle route: the command built from the path (and body), on the version sent in If-Match if any. */
export function lifecycleHandler<Params extends core.$ZodType<{ id: string }>, Body extends core.$ZodType>(
  route: RouteSpec<Params, core.$ZodType, Body>,
  commandOf: (id: string, body: core.output<Body>) => TransitionCommand,
) {
  return httpHandler(
    route,
    async (request) => {
      const command: TransitionCommand = {
        ...commandOf(request.params.id, request.body),
        expectedVersion: optionalIfMatch(request),
      };
      const visit = await scheduling.transition(command, writeContext(request));
      return { status: 200, body: visit, headers: { etag: etag(visit.version) } };
    },
    options,
  );
}
