import {
  createDocumentClient,
  type HttpRequest,
  requireIfMatch,
  tableNameFrom,
  type WriteContext,
} from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
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
