import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterEach, describe, expect, it } from "vitest";
import { downloadLinkSigner } from "./download-link.ts";

/** The download route signs its links itself (a lighter bundle): they must be the links the AWS SDK makes. */

const credentials = {
  AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

async function sdkLink(key: string, signingDate: Date, endpoint?: string): Promise<string> {
  const s3 = new S3Client({
    region: "ap-northeast-1",
    credentials: { accessKeyId: credentials.AWS_ACCESS_KEY_ID, secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY },
    // Without the checksum-mode parameter the SDK adds by default: a GET link has nothing to validate.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(endpoint && { endpoint, forcePathStyle: true }),
  });
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: "cdp-reports", Key: key }), { expiresIn: 300, signingDate });
}

describe("a report's download link", () => {
  const key = "reports/80ed4401-ff70-48e8-a75b-2e64f8b5657a/city-diplomacy-report-2026-04-01-2026-11-30.pdf";
  const signingDate = new Date("2026-12-02T01:14:17Z");

  for (const endpoint of [undefined, "http://127.0.0.1:8006"]) {
    it(`is the AWS SDK's presigned URL, signature and all (${endpoint ?? "S3"})`, async () => {
      Object.assign(process.env, credentials, { AWS_REGION: "ap-northeast-1" });
      if (endpoint) process.env.AWS_ENDPOINT_URL_S3 = endpoint;
      else delete process.env.AWS_ENDPOINT_URL_S3;
      const ours = new URL(
        await downloadLinkSigner()({ bucket: "cdp-reports", key, expiresInSeconds: 300, signingDate }),
      );
      const theirs = new URL(await sdkLink(key, signingDate, endpoint));
      expect(`${ours.origin}${ours.pathname}`).toBe(`${theirs.origin}${theirs.pathname}`);
      for (const name of [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
      ]) {
        expect(ours.searchParams.get(name), name).toBe(theirs.searchParams.get(name));
      }
      expect(ours.searchParams.get("X-Amz-Expires")).toBe("300");
      expect(ours.searchParams.get("X-Amz-Signature")).toBe(theirs.searchParams.get("X-Amz-Signature"));
      expect([...ours.searchParams.keys()].sort()).toEqual([...theirs.searchParams.keys()].sort());
    });
  }
});
