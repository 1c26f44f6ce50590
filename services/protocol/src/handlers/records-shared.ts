import { createDocumentClient, etag, type HttpResult, tableNameFrom } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { table } from "../manifest.ts";
import { ProtocolRecords, thresholdFrom } from "../records.ts";

/** Created once per function instance, never per request. */
export const records = new ProtocolRecords(
  createDocumentClient(),
  tableNameFrom(table.envVar),
  thresholdFrom(process.env.GIFT_REGISTRATION_THRESHOLD_YEN),
);
export const options = { serviceName: SERVICE_NAME };

/** A record as written or read, with its version as the ETag to send back in If-Match. */
export function versioned(status: number, body: { readonly version: number }, location?: string): HttpResult {
  return { status, body, headers: { etag: etag(body.version), ...(location && { location }) } };
}
