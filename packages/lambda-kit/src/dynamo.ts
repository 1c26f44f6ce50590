import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { problems } from "./problems.ts";

/**
 * How the kit's DynamoDB clients retry. Standard mode: throttling errors (ProvisionedThroughputExceeded,
 * Throttling, RequestLimitExceeded) and transient ones are retried with full-jitter exponential backoff from a
 * 1 s base for throttling, within a per-client retry budget that stops retry storms when DynamoDB stays
 * throttled. Not adaptive: its client-side rate limiter, once throttled, slows every later call of the container
 * (other tables' too) and learns nothing shared across Lambda's many short-lived containers. 4 attempts (the
 * DynamoDB client's default, pinned here so an SDK change cannot move it): at most ~7 s of backoff, well inside
 * a route's 10 s timeout, and a throttled call still fails only at 0.2⁴ ≈ 0.2 % under 20 % throttling. More
 * attempts would risk the Lambda timeout, which API Gateway answers with a 500, where spent retries give a 503
 * with Retry-After (http.ts) and, for a consumer, a retry of the event by the bus.
 */
export const DYNAMODB_RETRY = { retryMode: "standard", maxAttempts: 4 } as const;

/** Created once per function at module scope; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB locally. */
export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ ...DYNAMODB_RETRY }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function tableNameFrom(envVar: string): string {
  const name = process.env[envVar];
  if (!name) throw new Error(`${envVar} is not set`);
  return name;
}

/** Pagination cursors are opaque to clients: base64url of the last evaluated key. */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | null {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString("base64url") : null;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const values = Object.values(parsed);
      if (values.length > 0 && values.every((v) => typeof v === "string")) return parsed as Record<string, string>;
    }
  } catch {
    // reported below
  }
  throw problems.badRequest("The cursor is not one this API returned", [
    { path: "query.cursor", message: "not a valid cursor" },
  ]);
}
