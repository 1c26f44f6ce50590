import { createDocumentClient, tableNameFrom, writeContextOf } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { CourtesyCalls } from "../calls.ts";
import { table } from "../manifest.ts";

/** Created once per function instance, never per request. */
export const courtesyCalls = new CourtesyCalls(createDocumentClient(), tableNameFrom(table.envVar));
export const options = { serviceName: SERVICE_NAME };

/** Who writes and when, from the request (the kit's). */
export const writeContext = writeContextOf;
