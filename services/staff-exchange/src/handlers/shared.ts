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
import type { Placement } from "../domain/model.ts";
import { table } from "../manifest.ts";
import { StaffExchange } from "../use-cases.ts";

/** Created once per function instance, never per request. */
export const exchange = new StaffExchange(createDocumentClient(), tableNameFrom(table.envVar));
export const options = { serviceName: SERVICE_NAME };

export function writeContext(request: HttpRequest<unknown, unknown, unknown>): WriteContext {
  return { actor: request.caller.subject, correlationId: request.correlationId, now: new Date() };
}

/** Life-cycle steps take If-Match when the caller sends it; the state check guards them anyway. */
export function optionalIfMatch(request: HttpRequest<unknown, unknown, unknown>): number | undefined {
  return request.headers["if-match"] === undefined ? undefined : requireIfMatch(request.headers);
}

/** A life-cycle route: the step run on the placement named in the path, on the version sent in If-Match if any. */
export function stepHandler<Params extends core.$ZodType<{ id: string }>, Body extends core.$ZodType>(
  route: RouteSpec<Params, core.$ZodType, Body>,
  run: (
    id: string,
    body: core.output<Body>,
    expectedVersion: number | undefined,
    context: WriteContext,
  ) => Promise<Placement>,
) {
  return httpHandler(
    route,
    async (request) => {
      const placement = await run(request.params.id, request.body, optionalIfMatch(request), writeContext(request));
      return { status: 200, body: placement, headers: { etag: etag(placement.version) } };
    },
    options,
  );
}
