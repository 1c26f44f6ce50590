import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { StoredObject } from "./generator.ts";
import { REPORTS_BUCKET_ENV } from "./manifest.ts";

/** How long a download link lives. */
export const DOWNLOAD_LINK_SECONDS = 300;

/** The reports' S3 bucket, found like every AWS endpoint (`AWS_ENDPOINT_URL_S3` locally). */
export function reportBucket() {
  const bucket = process.env[REPORTS_BUCKET_ENV];
  if (!bucket) throw new Error(`${REPORTS_BUCKET_ENV} is not set`);
  const s3 = new S3Client({
    requestHandler: { requestTimeout: 30_000, connectionTimeout: 2_000 },
  });
  return {
    bucket,
    async store(object: StoredObject): Promise<void> {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          Body: object.body,
          ContentType: object.contentType,
          ContentDisposition: `attachment; filename="${object.filename}"`,
        }),
      );
    },
    /** A GET link that expires after DOWNLOAD_LINK_SECONDS: the caller's browser fetches the file from S3 itself. */
    downloadLink(key: string): Promise<string> {
      return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: DOWNLOAD_LINK_SECONDS });
    },
  };
}
