import { httpHandler, Refused } from "@cdp/lambda-kit";
import { downloadReport } from "../api.ts";
import { fileOf } from "../domain/report-lifecycle.ts";
import { reportBucket } from "../report-bucket.ts";
import { options, reports } from "./shared.ts";

const bucket = reportBucket();

/** 302 to a presigned URL that lives five minutes: the file comes from S3, not through the API. */
export const handler = httpHandler(
  downloadReport,
  async ({ params }) => {
    const found = fileOf(await reports.get(params.id), params.id, params.format);
    if (!found.ok) throw new Refused(found.refusal);
    return {
      status: 302,
      headers: { location: await bucket.downloadLink(found.file.key), "cache-control": "no-store" },
    };
  },
  options,
);
