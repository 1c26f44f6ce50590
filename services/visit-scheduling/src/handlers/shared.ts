import {
  createDocumentClient,
  type RouteSpec,
  tableNameFrom,
  versionedStepHandler,
  writeContextOf,
} from "@cdp/lambda-kit";
import type * as core from "zod/v4/core";
import { SERVICE_NAME } from "../api.ts";
import type { TransitionCommand } from "../domain/decide-visit.ts";
import { table } from "../manifest.ts";
import { VisitScheduling } from "../use-cases.ts";

/** Created once per function instance, never per request. */
export const scheduling = new VisitScheduling(createDocumentClient(), tableNameFrom(table.envVar));
export const options = { serviceName: SERVICE_NAME };

/** Who writes and when, from the request (the kit's). */
export const writeContext = writeContextOf;

/** A life-cycle route: the command built from the path (and body), on the version sent in If-Match if any. */
export function lifecycleHandler<Params extends core.$ZodType<{ id: string }>, Body extends core.$ZodType>(
  route: RouteSpec<Params, core.$ZodType, Body>,
  commandOf: (id: string, body: core.output<Body>) => TransitionCommand,
) {
  return versionedStepHandler(
    route,
    (id, body, expectedVersion, context) => scheduling.transition({ ...commandOf(id, body), expectedVersion }, context),
    options,
  );
}
