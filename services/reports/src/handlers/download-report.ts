import { httpHandler, Refused } from "@cdp/lambda-kit";
import { downloadReport } from "../api.ts";
import { fileOf } from "../domain/report-lifecycle.ts";
import { downloadLinkSigner } from "../download-link.ts";
import { reportsBucketName } from "../report-bucket.ts";
import { options, reports } from "./shared.ts";

const bucket = reportsBucketName();
const sign = downloadLinkSigner();
/** How long a download link lives. */
const LINK_SECONDS = 300;

/** 302 to a presigned URL that lives five minutes: the file comes from S3, not through the API. */
export const handler = httpHandler(
  downloadReport,
  async ({ params }) => {
    const found = fileOf(await reports.get(params.id), params.id, params.format);
    if (!found.ok) throw new Refused(found.refusal);
    return {
      status: 302,
      headers: {
        location: await sign({ bucket, key: found.file.key, expiresInSeconds: LINK_SECONDS }),
        "cache-control": "no-store",
      },
    };
  },
  options,
);
