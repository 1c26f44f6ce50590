import { Transform, type TransformCallback } from "node:stream";
import { crc32 } from "node:zlib";

/** Why an aws-chunked body was refused, with the error code S3 answers it with. */
export class AwsChunkedError extends Error {
  readonly code: "IncompleteBody" | "BadDigest";
  constructor(code: "IncompleteBody" | "BadDigest", message: string) {
    super(message);
    this.code = code;
  }
}

/** Longer than any chunk-size line (hex size, optional chunk signature) or checksum trailer the SDK writes. */
const MAX_LINE = 4096;

/**
 * Decodes a body sent with `Content-Encoding: aws-chunked`: the AWS SDK sends a body it cannot checksum up front
 * (a stream) so, as `<hex size>[;chunk-signature=…]\r\n<data>\r\n`… `0\r\n` then trailers (its checksum) and a blank
 * line. s3rver knows nothing of it and would store the framing as the object. A CRC32 trailer (the SDK's default
 * algorithm) is checked as S3 checks it; other algorithms' trailers are kept in `trailers`, unchecked.
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  readonly #announcedLength: number | undefined;
  #pending: Buffer = Buffer.alloc(0);
  #state: "size" | "data" | "data-end" | "trailer" | "done" = "size";
  #dataLeft = 0;
  #decodedLength = 0;
  #crc32 = 0;

  /** `announcedLength`: the `x-amz-decoded-content-length` the sender announced, checked at the end. */
  constructor(announcedLength?: number) {
    super();
    this.#announcedLength = announcedLength;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    try {
      this.#decode();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.#faultAtEnd());
  }

  /** What is wrong with the body as a whole, once it has all been read. */
  #faultAtEnd(): AwsChunkedError | null {
    // A sender with no trailer to send may end right after the last chunk's `0\r\n`.
    const ended = this.#state === "done" || (this.#state === "trailer" && !this.#pending.length);
    if (!ended) return new AwsChunkedError("IncompleteBody", "The aws-chunked body ended before its last chunk.");
    if (this.#announcedLength !== undefined && this.#announcedLength !== this.#decodedLength) {
      return new AwsChunkedError(
        "IncompleteBody",
        `x-amz-decoded-content-length was ${this.#announcedLength}, the body held ${this.#decodedLength} bytes.`,
      );
    }
    const expectedCrc32 = this.trailers.get("x-amz-checksum-crc32");
    if (expectedCrc32 === undefined) return null;
    const actual = Buffer.alloc(4);
    actual.writeUInt32BE(this.#crc32 >>> 0);
    return actual.toString("base64") === expectedCrc32
      ? null
      : new AwsChunkedError("BadDigest", "The CRC32 you specified did not match the calculated checksum.");
  }

  #decode(): void {
    for (;;) {
      if (this.#state === "done") {
        this.#pending = Buffer.alloc(0);
        return;
      }
      if (this.#state === "data") {
        if (!this.#pending.length) return;
        const data = this.#pending.subarray(0, this.#dataLeft);
        this.#pending = this.#pending.subarray(data.length);
        this.#dataLeft -= data.length;
        this.#decodedLength += data.length;
        this.#crc32 = crc32(data, this.#crc32);
        this.push(data);
        if (this.#dataLeft === 0) this.#state = "data-end";
        continue;
      }
      const lineEnd = this.#pending.indexOf("\r\n");
      if (lineEnd === -1) {
        if (this.#pending.length > MAX_LINE) throw new AwsChunkedError("IncompleteBody", "Malformed aws-chunked body.");
        return;
      }
      const line = this.#pending.subarray(0, lineEnd).toString("latin1");
      this.#pending = this.#pending.subarray(lineEnd + 2);
      if (this.#state === "data-end") {
        if (line !== "") throw new AwsChunkedError("IncompleteBody", "An aws-chunked chunk was longer than its size.");
        this.#state = "size";
      } else if (this.#state === "size") {
        const size = line.split(";")[0]?.trim() ?? "";
        if (!/^[0-9a-f]+$/i.test(size))
          throw new AwsChunkedError("IncompleteBody", "Malformed aws-chunked chunk size.");
        this.#dataLeft = Number.parseInt(size, 16);
        this.#state = this.#dataLeft === 0 ? "trailer" : "data";
      } else if (line === "") {
        this.#state = "done";
      } else {
        const colon = line.indexOf(":");
        this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
    }
  }
}
