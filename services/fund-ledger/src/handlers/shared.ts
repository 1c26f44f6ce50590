import {
  createDocumentClient,
  type HttpRequest,
  type HttpResult,
  httpHandler,
  type RouteSpec,
  requestFingerprint,
  requireIdempotencyKey,
  type StoredResponse,
  tableNameFrom,
  type WriteContext,
  writeContextOf,
} from "@cdp/lambda-kit";
import type * as core from "zod/v4/core";
import { SERVICE_NAME } from "../api.ts";
import { table } from "../manifest.ts";
import { LedgerReads } from "../store/ledger-reads.ts";
import { FundLedger, type Idempotency, type Outcome } from "../use-cases.ts";

/** Created once per function instance, never per request. */
const client = createDocumentClient();
const tableName = tableNameFrom(table.envVar);
export const ledger = new FundLedger(client, tableName);
export const reads = new LedgerReads(client, tableName);
export const options = { serviceName: SERVICE_NAME };

/** Who writes and when, from the request (the kit's). */
export const writeContext = writeContextOf;

/** The answer to a write: the first response when the key was seen before (marked as replayed). */
function answer(outcome: Outcome<unknown>, respond: (state: never) => StoredResponse): HttpResult {
  const response = outcome.replayed ?? respond(outcome.state as never);
  return {
    status: response.status,
    body: response.body,
    headers: { ...response.headers, ...(outcome.replayed && { "idempotent-replayed": "true" }) },
  };
}

/**
 * A write route: its Idempotency-Key and the request's fingerprint go with the command into the one
 * transaction that makes the change, with the response it gets; a repeat gets that same response.
 */
export function writeHandler<
  Params extends core.$ZodType,
  Query extends core.$ZodType,
  Body extends core.$ZodType,
  State,
>(
  route: RouteSpec<Params, Query, Body>,
  run: (
    request: HttpRequest<core.output<Params>, core.output<Query>, core.output<Body>>,
    context: WriteContext,
    idempotency: Idempotency<NoInfer<State>>,
  ) => Promise<Outcome<State>>,
  respond: (state: State) => StoredResponse,
) {
  return httpHandler(
    route,
    async (request) => {
      const idempotency: Idempotency<State> = {
        key: requireIdempotencyKey(request.headers),
        fingerprint: requestFingerprint(route.method, request.path, request.body ?? null),
        respond,
      };
      return answer(
        await run(request, writeContext(request), idempotency),
        respond as (state: never) => StoredResponse,
      );
    },
    options,
  );
}

export const created = (body: { id: string }, location: string): StoredResponse => ({
  status: 201,
  body,
  headers: { location },
});
