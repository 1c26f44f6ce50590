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
import type { Placement } from "../domain/model.ts";
import { table } from "../manifest.ts";
import { StaffExchange } from "../use-cases.ts";

/** Created once per function instance, never per request. */
export const exchange = new StaffExchange(createDocumentClient(), tableNameFrom(table.envVar));
export const options = { serviceName: SERVICE_NAME };

/** Who writes and when, from the request (the kit's). */
export const writeContext = writeContextOf;

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
      const placement = await run(
        request.params.id,
        request.body,
        optionalIfMatch(request.headers),
        writeContext(request),
      );
      return { status: 200, body: placement, headers: { etag: etag(placement.version) } };
    },
    options,
  );
}
