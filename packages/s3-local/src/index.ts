/// <reference path="./s3rver.d.ts" />
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { isIPv6 } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FilesystemStore, S3rverContext, S3rverMiddleware } from "s3rver";
import type S3ErrorClass from "s3rver/lib/models/error.js";
import { AwsChunkedDecoder, AwsChunkedError } from "./aws-chunked.ts";

/**
 * The S3 stand-in: s3rver (in-process, on disk) with three repairs for today's AWS SDK:
 * - bodies the SDK streams as aws-chunked (its checksum in a trailer) are decoded, and a CRC32 trailer checked;
 * - any access key is accepted (s3rver knows only `S3RVER`; the local cloud signs with `local`), as DynamoDB Local does;
 * - an object is written wholly before PutObject answers and replaces the old one only then: s3rver answers once the
 *   last bytes are handed to the file stream (not yet written), and an upload cut short left a truncated object and
 *   a request that never ended.
 *
 * Presigned URLs are refused once expired (403 AccessDenied "Request has expired", as S3 does), but s3rver checks
 * no SigV4 signature: a URL with another key or a forged signature is served too.
 */
export interface S3Local {
  /** `http://<ip>:<port>`: an IP, so the AWS SDK addresses buckets by path without `forcePathStyle`. */
  readonly endpoint: string;
  readonly port: number;
  /** Where objects are kept. */
  readonly directory: string;
  /** Closes the server and every connection; removes the directory if it was a fresh temporary one. */
  stop(): Promise<void>;
}

export interface S3LocalOptions {
  /** 0 or absent: a free port chosen by the OS. */
  port?: number;
  /**
   * An IP address (default 127.0.0.1), which the endpoint names: given a hostname endpoint, the SDK addresses a
   * bucket as `<bucket>.<host>` (not resolvable locally) unless the client sets forcePathStyle.
   */
  host?: string;
  /** Absent: a fresh temporary directory, removed by stop(). A given directory is kept, objects and all. */
  directory?: string;
  /** Buckets created at start (an existing one is kept as it is). */
  buckets?: string[];
}

/** The access key id a request is signed with (header or presigned query, SigV4 or SigV2). */
function accessKeyIdOf(context: S3rverContext): string | undefined {
  const authorization = context.headers.authorization;
  const fromHeader =
    authorization?.match(/Credential=([^/,\s]+)\//)?.[1] ?? authorization?.match(/^AWS ([^:\s]+):/)?.[1];
  const credential = context.query["X-Amz-Credential"] ?? context.query.AWSAccessKeyId;
  return fromHeader ?? (typeof credential === "string" ? credential.split("/")[0] : undefined);
}

function decodeAwsChunked(context: S3rverContext): void {
  const encodings = String(context.headers["content-encoding"] ?? "")
    .split(",")
    .map((encoding) => encoding.trim())
    .filter(Boolean);
  if (!encodings.includes("aws-chunked")) return;
  // What is stored as the object's Content-Encoding is what is left, as S3 stores it.
  const stored = encodings.filter((encoding) => encoding !== "aws-chunked");
  if (stored.length) context.headers["content-encoding"] = stored.join(",");
  else delete context.headers["content-encoding"];
  const announced = context.headers["x-amz-decoded-content-length"];
  const decoder = new AwsChunkedDecoder(announced === undefined ? undefined : Number(announced));
  // The store's pipeline reports the decoder's errors (even one raised before it starts reading: a small body is
  // decoded at once); this listener only keeps such an early one from being thrown as uncaught.
  decoder.on("error", () => {});
  const request = context.req;
  request.once("error", (error) => decoder.destroy(error));
  context.req = request.pipe(decoder);
}

/** Replaces s3rver's putObject: see S3Local. Uses s3rver's own paths and metadata files, so reads are unchanged. */
function writeObjectsWholly(store: FilesystemStore, S3Error: typeof S3ErrorClass) {
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, "object");
    const uploadPath = `${objectPath}.${randomUUID()}.upload`;
    await mkdir(dirname(objectPath), { recursive: true });
    const md5 = createHash("md5");
    let size = 0;
    try {
      await pipeline(
        Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            md5.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(uploadPath),
      );
      await rename(uploadPath, objectPath);
    } catch (error) {
      await rm(uploadPath, { force: true });
      throw error instanceof AwsChunkedError ? new S3Error(error.code, error.message) : error;
    }
    const digest = md5.digest("hex");
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}

export async function startS3Local(options: S3LocalOptions = {}): Promise<S3Local> {
  // Loaded here, not at import: s3rver and its dependencies (koa, winston, lodash…) take a few tenths of a second.
  const [{ default: S3rver }, { default: AWSAccount }, { default: S3Error }] = await Promise.all([
    import("s3rver"),
    import("s3rver/lib/models/account.js"),
    import("s3rver/lib/models/error.js"),
  ]);
  const host = options.host ?? "127.0.0.1";
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), "s3-local-")));
  await mkdir(directory, { recursive: true });

  const server = new S3rver({
    address: host,
    port: options.port ?? 0,
    directory,
    silent: true,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  const acceptLocally: S3rverMiddleware = async (context, next) => {
    const accessKeyId = accessKeyIdOf(context);
    if (accessKeyId && !AWSAccount.registry.has(accessKeyId)) {
      // The secret serves only SigV2 checks; SigV4 signatures are not checked by s3rver.
      AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKeyId, accessKeyId);
    }
    decodeAwsChunked(context);
    await next();
  };
  server.middleware.unshift(acceptLocally);
  writeObjectsWholly(server.store, S3Error);

  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    if (ownDirectory) await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : isIPv6(host) ? `[${host}]` : host;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${urlHost}:${port}`,
    port,
    directory,
    stop: () => {
      stopped ??= (async () => {
        const closed = server.close();
        server.httpServer?.closeAllConnections();
        await closed;
        if (ownDirectory) await rm(directory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

export interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string | null;
  readonly contentDisposition: string | null;
}

/** An object as stored, read without the SDK (s3rver serves unsigned requests); undefined when there is none. */
export async function readObject(endpoint: string, bucket: string, key: string): Promise<StoredObject | undefined> {
  const path = [bucket, ...key.split("/")].map(encodeURIComponent).join("/");
  const response = await fetch(`${endpoint}/${path}`);
  if (response.status === 404) return undefined;
  if (!response.ok)
    throw new Error(`GET ${bucket}/${key} from the S3 stand-in: ${response.status} ${await response.text()}`);
  return {
    body: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get("content-type"),
    contentDisposition: response.headers.get("content-disposition"),
  };
}
