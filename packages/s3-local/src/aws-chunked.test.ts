import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { AwsChunkedDecoder } from "./aws-chunked.ts";

/** A body framed as the AWS SDK frames a streamed upload: chunks, `0`, a CRC32 trailer, a blank line. */
function encode(body: Buffer, chunkSize: number, options: { crc32?: string; signed?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const signature = options.signed ? `;chunk-signature=${"ab".repeat(32)}` : "";
  for (let offset = 0; offset < body.length; offset += chunkSize) {
    const chunk = body.subarray(offset, offset + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)}${signature}\r\n`), chunk, Buffer.from("\r\n"));
  }
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  parts.push(
    Buffer.from(`0${signature}\r\nx-amz-checksum-crc32:${options.crc32 ?? checksum.toString("base64")}\r\n\r\n`),
  );
  return Buffer.concat(parts);
}

/** Feeds `encoded` to a decoder in pieces of `pieceSize` bytes, so that lines and chunks are split anywhere. */
async function decode(encoded: Buffer, pieceSize: number, announcedLength?: number): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < encoded.length; offset += pieceSize) {
    pieces.push(encoded.subarray(offset, offset + pieceSize));
  }
  const decoded: Buffer[] = [];
  for await (const chunk of Readable.from(pieces).pipe(new AwsChunkedDecoder(announcedLength))) {
    decoded.push(chunk as Buffer);
  }
  return Buffer.concat(decoded);
}

describe("aws-chunked decoding", () => {
  it("gives back the body however the framing is split, with signed chunks or without", async () => {
    const body = randomBytes(20_001);
    for (const signed of [false, true]) {
      const encoded = encode(body, 4096, { signed });
      for (const pieceSize of [1, 7, 4098, encoded.length]) {
        expect((await decode(encoded, pieceSize, body.length)).equals(body)).toBe(true);
      }
    }
  });

  it("takes an empty body and one whose sender ends without a trailer", async () => {
    expect((await decode(encode(Buffer.alloc(0), 10), 3, 0)).length).toBe(0);
    expect((await decode(Buffer.from("3\r\nabc\r\n0\r\n"), 2)).toString()).toBe("abc");
  });

  it("refuses a body whose CRC32 trailer does not match, as S3 does (BadDigest)", async () => {
    const body = randomBytes(1000);
    await expect(decode(encode(body, 300, { crc32: "AAAAAA==" }), 100)).rejects.toMatchObject({ code: "BadDigest" });
  });

  it("refuses a body cut short, a chunk longer than its size and a length other than announced (IncompleteBody)", async () => {
    const encoded = encode(randomBytes(1000), 300);
    await expect(decode(encoded.subarray(0, 500), 100)).rejects.toMatchObject({ code: "IncompleteBody" });
    await expect(decode(Buffer.from("3\r\nabcd\r\n0\r\n\r\n"), 4)).rejects.toMatchObject({ code: "IncompleteBody" });
    await expect(decode(Buffer.from("zz\r\nabc\r\n"), 4)).rejects.toMatchObject({ code: "IncompleteBody" });
    await expect(decode(encoded, 100, 999)).rejects.toMatchObject({ code: "IncompleteBody" });
  });
});
