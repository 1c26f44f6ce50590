import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** DynamoDB takes at most 100 keys in one BatchGetItem. */
export const BATCH_GET_MAX_KEYS = 100;

export interface BatchGetOptions {
  readonly projection?: string;
  readonly names?: Record<string, string>;
  readonly consistent?: boolean;
  /** Rounds of retries of unprocessed keys before giving up; each waits longer (full jitter). */
  readonly maxRounds?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Unprocessed keys that still were not read after every retry: the read failed; never "not found". */
export class UnprocessedKeysRemain extends Error {
  override readonly name = "UnprocessedKeysRemain";
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads every key, in chunks of 100, and retries what DynamoDB leaves in `UnprocessedKeys` (as it
 * does under throttling or past 16 MB) with exponential backoff until all are read. A key is
 * reported missing only when DynamoDB processed it and found nothing.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  options: BatchGetOptions = {},
): Promise<Record<string, unknown>[]> {
  const { maxRounds = 10, baseDelayMs = 50, sleep = wait } = options;
  const found: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_MAX_KEYS) {
    let pending: Record<string, unknown>[] = keys.slice(start, start + BATCH_GET_MAX_KEYS);
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) {
        if (round > maxRounds) {
          throw new UnprocessedKeysRemain(`${pending.length} key(s) still unprocessed after ${maxRounds} retries`);
        }
        await sleep(Math.random() * baseDelayMs * 2 ** (round - 1));
      }
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(options.projection && { ProjectionExpression: options.projection }),
              ...(options.names && { ExpressionAttributeNames: options.names }),
              ...(options.consistent && { ConsistentRead: true }),
            },
          },
        }),
      );
      found.push(...(Responses?.[tableName] ?? []));
      pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}
