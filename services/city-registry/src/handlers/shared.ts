import { createDocumentClient, type HttpRequest, tableNameFrom, type WriteContext } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { table } from "../manifest.ts";
import { RegistryStore } from "../store/registry-store.ts";

/** Created once per function instance, never per request. */
export const store = new RegistryStore(createDocumentClient(), tableNameFrom(table.envVar));
export const options = { serviceName: SERVICE_NAME };

export function writeContext(request: HttpRequest<unknown, unknown, unknown>): WriteContext {
  return { actor: request.caller.subject, correlationId: request.correlationId, now: new Date() };
}
