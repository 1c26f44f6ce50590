import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readObject, type S3Local, startS3Local } from "./index.ts";

const BUCKET = "reports";
const PDF = { ContentType: "application/pdf", ContentDisposition: 'attachment; filename="report.pdf"' };

/** As the platform's handlers make it: default checksum settings, no forcePathStyle, the local cloud's key. */
function clientOf(endpoint: string, options: { forcePathStyle?: boolean } = {}): S3Client {
  return new S3Client({
    endpoint,
    region: "ap-northeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    ...options,
  });
}

let s3: S3Local;
let client: S3Client;
beforeAll(async () => {
  s3 = await startS3Local({ buckets: [BUCKET] });
  client = clientOf(s3.endpoint);
});
afterAll(() => s3.stop());

const report = randomBytes(3 * 1024 * 1024 + 11);
const reportKey = "reports/01J9Z6/report.pdf";

describe("S3 stand-in with the real SDK", () => {
  beforeAll(() => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: reportKey, Body: report, ...PDF })));

  it("gives back a binary object's bytes, type and disposition (GetObject, HeadObject)", async () => {
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: reportKey }));
    expect(Buffer.from((await object.Body?.transformToByteArray()) ?? []).equals(report)).toBe(true);
    expect(object).toMatchObject(PDF);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: reportKey }));
    expect(head).toMatchObject({
      ...PDF,
      ContentLength: report.length,
      ETag: `"${createHash("md5").update(report).digest("hex")}"`,
    });
  });

  it("stores a streamed body (sent aws-chunked, its CRC32 in a trailer) as its bytes", async () => {
    const key = "reports/streamed/report.csv";
    const body = Readable.from([report.subarray(0, 100_000), report.subarray(100_000)]);
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: body,
        ContentLength: report.length,
        ContentType: "text/csv",
      }),
    );
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from((await object.Body?.transformToByteArray()) ?? []).equals(report)).toBe(true);
    expect(object.ContentType).toBe("text/csv");
    expect(object.ContentEncoding).toBeUndefined();
  });

  it("refuses an aws-chunked body whose checksum does not match, keeping the object it would replace", async () => {
    const framed = "5\r\nwrong\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    const response = await fetch(`${s3.endpoint}/${BUCKET}/${reportKey}`, {
      method: "PUT",
      headers: { "content-encoding": "aws-chunked", "x-amz-decoded-content-length": "5" },
      body: framed,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>BadDigest</Code>");
    expect((await readObject(s3.endpoint, BUCKET, reportKey))?.body.equals(report)).toBe(true);
  });

  it("lists objects by prefix (ListObjectsV2)", async () => {
    for (const key of ["reports/list-a/report.html", "reports/list-a/report.xlsx", "reports/list-b/report.html"]) {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key, ContentType: "text/html" }));
    }
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "reports/list-a/" }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual([
      "reports/list-a/report.html",
      "reports/list-a/report.xlsx",
    ]);
  });

  it("answers a missing key with NoSuchKey (GetObject) and NotFound (HeadObject)", async () => {
    const missing = { Bucket: BUCKET, Key: "reports/none/report.pdf" };
    await expect(client.send(new GetObjectCommand(missing))).rejects.toBeInstanceOf(NoSuchKey);
    await expect(client.send(new HeadObjectCommand(missing))).rejects.toMatchObject({
      name: "NotFound",
      $metadata: { httpStatusCode: 404 },
    });
    expect(await readObject(s3.endpoint, BUCKET, missing.Key)).toBeUndefined();
  });

  it("addresses buckets by path with a hostname endpoint when forcePathStyle is set", async () => {
    const byName = clientOf(`http://localhost:${s3.port}`, { forcePathStyle: true });
    const head = await byName.send(new HeadObjectCommand({ Bucket: BUCKET, Key: reportKey }));
    expect(head.ContentLength).toBe(report.length);
  });
});

describe("presigned GET URLs", () => {
  const presign = (expiresIn: number, signingDate?: Date) =>
    getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: reportKey }), {
      expiresIn,
      ...(signingDate && { signingDate }),
    });

  it("serve the object with its type and disposition to plain fetch", async () => {
    const response = await fetch(await presign(300));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(PDF.ContentType);
    expect(response.headers.get("content-disposition")).toBe(PDF.ContentDisposition);
    expect(Buffer.from(await response.arrayBuffer()).equals(report)).toBe(true);
  });

  it("are refused once expired, with 403 AccessDenied as S3 does", async () => {
    const signedLongAgo = await presign(300, new Date(Date.now() - 301_000));
    const refused = await fetch(signedLongAgo);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);

    // One valid for a second stops working on its own, checked by the server's clock.
    const shortLived = await presign(1);
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline) {
      const response = await fetch(shortLived);
      await response.arrayBuffer();
      status = response.status;
      if (status === 403) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(403);
  });
});

describe("starting and stopping", () => {
  it("stop() frees the port and removes its temporary directory", async () => {
    const first = await startS3Local({ buckets: ["scratch"] });
    await clientOf(first.endpoint).send(new PutObjectCommand({ Bucket: "scratch", Key: "a/b", Body: "x" }));
    // A connection kept alive must not hold the port.
    expect((await fetch(`${first.endpoint}/scratch/a/b`)).status).toBe(200);
    await first.stop();
    await first.stop();
    expect(existsSync(first.directory)).toBe(false);

    const second = await startS3Local({ port: first.port });
    expect(second.port).toBe(first.port);
    expect(await readObject(second.endpoint, "scratch", "a/b")).toBeUndefined();
    await second.stop();
  });

  it("keeps a given directory, so objects outlive a restart", async () => {
    const directory = await mkdtemp(join(tmpdir(), "s3-local-test-"));
    try {
      const first = await startS3Local({ directory, buckets: [BUCKET] });
      await clientOf(first.endpoint).send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: "kept/report.html",
          Body: "<p>kept</p>",
          ContentType: "text/html",
        }),
      );
      await first.stop();
      expect(existsSync(directory)).toBe(true);

      const second = await startS3Local({ directory, buckets: [BUCKET] });
      const kept = await readObject(second.endpoint, BUCKET, "kept/report.html");
      await second.stop();
      expect(kept?.body.toString()).toBe("<p>kept</p>");
      expect(kept?.contentType).toBe("text/html");
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
