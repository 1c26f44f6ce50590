import { createHash } from "node:crypto";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { problems } from "./problems.ts";
import type { Transaction } from "./transaction.ts";

/**
 * `Idempotency-Key` on writes, as Stripe and Modern Treasury do it: the same key with the same request
 * returns the first result, the same key with another request is 422. The record is written in the
 * same transaction as the change it answers for, so a change and its record exist together or not at
 * all; refusals write nothing, so a refused request may be retried with its key.
 */
export const IDEMPOTENCY_HEADER = "idempotency-key";
/** Kept at least 24 hours, as promised to callers; TTL deletes them some time after. */
export const IDEMPOTENCY_RETENTION_SECONDS = 48 * 3600;

const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The header's value, or a 400 naming it. */
export function requireIdempotencyKey(headers: Readonly<Record<string, string | undefined>>): string {
  const key = headers[IDEMPOTENCY_HEADER]?.trim();
  if (!key || !KEY_PATTERN.test(key)) {
    throw problems.badRequest("Every write needs an Idempotency-Key header: 8 to 128 letters, digits or ._:-", [
      { path: "headers.idempotency-key", message: key ? "must be 8 to 128 of A-Z a-z 0-9 . _ : -" : "is required" },
    ]);
  }
  return key;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((name) => [name, canonical((value as Record<string, unknown>)[name])]),
    );
  }
  return value;
}

/** What makes two requests "the same": method, path and body (key order ignored), hashed. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify([method.toUpperCase(), path, canonical(body ?? null)]))
    .digest("hex");
}

export const idempotencyRecordKey = (key: string) => ({ pk: `IDEM#${key}`, sk: "IDEM" });

/** Thrown when another request with the same key committed first: look the record up again. */
export class IdempotencyKeyTaken extends Error {
  override readonly name = "IdempotencyKeyTaken";
}

/** Adds the record to the transaction that makes the change: it fails the whole write if the key is taken. */
export function recordIdempotentResponse(
  tx: Transaction,
  key: string,
  fingerprint: string,
  response: StoredResponse,
  now: Date,
): void {
  tx.put(
    {
      ...idempotencyRecordKey(key),
      fingerprint,
      response: JSON.stringify(response),
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_RETENTION_SECONDS,
    },
    { expression: "attribute_not_exists(pk)", onFailed: () => new IdempotencyKeyTaken(key) },
  );
}

/**
 * The first response to this key, if there was one: the same request gets it again; another request
 * with the key is a 422 naming the key.
 */
export async function previousResponse(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: string,
  fingerprint: string,
): Promise<StoredResponse | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: idempotencyRecordKey(key), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  if (Item.fingerprint !== fingerprint) {
    throw problems.unprocessable(
      `The Idempotency-Key ${key} was used for a different request; use a new key for a new request`,
      { idempotencyKey: key },
    );
  }
  return JSON.parse(String(Item.response)) as StoredResponse;
}
