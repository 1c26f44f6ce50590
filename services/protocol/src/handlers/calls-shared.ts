import {
  createDocumentClient,
  etag,
  httpHandler,
  optionalIfMatch,
  type RouteSpec,
  tableNameFrom,
  type WriteContext,
  writeContextOf,
} from "@cdp/lambda-kit";
import type * as core from "zod/v4/core";
import { SERVICE_NAME } from "../api.ts";
import { CourtesyCalls } from "../calls.ts";
import type { PublicCall } from "../domain/calls.ts";
import { table } from "../manifest.ts";

/** Created once per function instance, never per request. */
export const courtesyCalls = new CourtesyCalls(createDocumentClient(), tableNameFrom(table.envVar));
export const options = { serviceName: SERVICE_NAME };

/** Who writes and when, from the request (the kit's). */
export const writeContext = writeContextOf;

/** A life-cycle route: the step run on the call named in the path, on the version sent in If-Match if any. */
export function callStepHandler<Params extends core.$ZodType<{ id: string }>, Body extends core.$ZodType>(
  route: RouteSpec<Params, core.$ZodType, Body>,
  run: (
    id: string,
    body: core.output<Body>,
    expectedVersion: number | undefined,
    context: WriteContext,
  ) => Promise<PublicCall>,
) {
  return httpHandler(
    route,
    async (request) => {
      const call = await run(request.params.id, request.body, optionalIfMatch(request.headers), writeContext(request));
      return { status: 200, body: call, headers: { etag: etag(call.version) } };
    },
    options,
  );
}
