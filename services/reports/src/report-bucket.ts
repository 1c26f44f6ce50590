import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { StoredObject } from "./generator.ts";
import { REPORTS_BUCKET_ENV } from "./manifest.ts";

/** The reports' S3 bucket name, which every function of the service is given. */
export function reportsBucketName(): string {
  const bucket = process.env[REPORTS_BUCKET_ENV];
  if (!bucket) throw new Error(`${REPORTS_BUCKET_ENV} is not set`);
  return bucket;
}

/** Stores the report's files, found like every AWS endpoint (`AWS_ENDPOINT_URL_S3` locally). */
export function reportStorage(): (object: StoredObject) => Promise<void> {
  const bucket = reportsBucketName();
  const s3 = new S3Client({ requestHandler: { requestTimeout: 30_000, connectionTimeout: 2_000 } });
  return async (object) => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: object.key,
        Body: object.body,
        ContentType: object.contentType,
        ContentDisposition: `attachment; filename="${object.filename}"`,
      }),
    );
  };
}
