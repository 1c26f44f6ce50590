import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { fromEnv } from "@aws-sdk/credential-provider-env";
import { SignatureV4 } from "@smithy/signature-v4";

/**
 * A presigned S3 GET URL, signed with SigV4 (query string) and nothing else: the S3 client and its presigner would
 * add ~165 KB to the download route's bundle for this one signature. The same URL the SDK's `getSignedUrl` makes
 * (a test holds them equal): virtual-hosted on S3, path-style on an endpoint the platform names
 * (`AWS_ENDPOINT_URL_S3`, the local stand-in), as the SDK does.
 */

type Data = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: Data): Buffer =>
  typeof data === "string"
    ? Buffer.from(data, "utf8")
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape SignatureV4 asks for. */
class Sha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: Data) {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", bytesOf(this.secret));
  }

  update(data: Data): void {
    this.hash.update(bytesOf(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }
}

export interface DownloadLinkOptions {
  readonly bucket: string;
  readonly key: string;
  readonly expiresInSeconds: number;
  /** For tests: the signing time (default now). */
  readonly signingDate?: Date;
}

export function downloadLinkSigner(region = process.env.AWS_REGION ?? "ap-northeast-1") {
  const signer = new SignatureV4({
    service: "s3",
    region,
    credentials: fromEnv(),
    sha256: Sha256,
    uriEscapePath: false,
  });
  const endpoint = process.env.AWS_ENDPOINT_URL_S3;
  return async ({ bucket, key, expiresInSeconds, signingDate }: DownloadLinkOptions): Promise<string> => {
    const path = key
      .split("/")
      .map((segment) => encodeURIComponent(segment))
      .join("/");
    const url = endpoint
      ? new URL(`${endpoint.replace(/\/$/, "")}/${bucket}/${path}`)
      : new URL(`https://${bucket}.s3.${region}.amazonaws.com/${path}`);
    const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
    const signed = await signer.presign(
      {
        method: "GET",
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port && { port: Number(url.port) }),
        path: url.pathname,
        query: { "x-id": "GetObject" },
        // S3 signs a presigned URL's payload as unsigned: the browser's GET has none to hash.
        headers: { host, "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" },
      },
      { expiresIn: expiresInSeconds, ...(signingDate && { signingDate }) },
    );
    const query = Object.entries(signed.query ?? {})
      .flatMap(([name, value]) => (value === null ? [] : [[name, String(value)] as const]))
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join("&");
    return `${url.origin}${url.pathname}?${query}`;
  };
}
