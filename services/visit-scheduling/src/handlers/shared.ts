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
import type { VisitAction } from "../domain/lifecycle.ts";
import { table } from "../manifest.ts";
import { VisitStore } from "../store/visit-store.ts";

/** Created once per function instance, never per request. */
export const store = new VisitStore(createDocumentClient(), tableNameFrom(table.envVar));
export const options = { serviceName: SERVICE_NAME };

export function writeContext(request: HttpRequest<unknown, unknown, unknown>): WriteContext {
  return { actor: request.caller.subject, correlationId: request.correlationId, now: new Date() };
}

/** Life-cycle actions take If-Match when the caller sends it; the state check guards them anyway. */
export function optionalIfMatch(request: HttpRequest<unknown, unknown, unknown>): number | undefined {
  return request.headers["if-match"] === undefined ? undefined : requireIfMatch(request.headers);
}

/** A life-cycle route: the action on the visit named in the path, with what the action needs from the body. */
export function lifecycleHandler<Params extends core.$ZodType<{ id: string }>, Body extends core.$ZodType>(
  route: RouteSpec<Params, core.$ZodType, Body>,
  action: VisitAction,
  detailsOf: (body: core.output<Body>) => { actualCostYen?: number; reason?: string } = () => ({}),
) {
  return httpHandler(
    route,
    async (request) => {
      const visit = await store.transition(
        request.params.id,
        action,
        { expectedVersion: optionalIfMatch(request), ...detailsOf(request.body) },
        writeContext(request),
      );
      return { status: 200, body: visit, headers: { etag: etag(visit.version) } };
    },
    options,
  );
}
