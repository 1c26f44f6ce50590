import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { decodeCursor, encodeCursor } from "./dynamo.ts";

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/**
 * Fills a page of `limit` items from a Query. A filter expression may leave a DynamoDB page short,
 * so keep querying, asking each time for no more than is missing, until the page is full or the
 * index ends. The cursor is the opaque last evaluated key.
 */
export async function queryPage<T>(
  client: DynamoDBDocumentClient,
  query: QueryCommandInput,
  limit: number,
  cursor: string | undefined,
  toItem: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const items: T[] = [];
  let startKey = decodeCursor(cursor);
  do {
    const page = await client.send(
      new QueryCommand({ ...query, Limit: limit - items.length, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) items.push(toItem(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length < limit);
  return { items, nextCursor: encodeCursor(startKey) };
}

/** Every item of a Query, all pages: for bounded sets such as one item collection. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  query: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...query, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Drops the single-table key attributes from an item read back. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, facet: _facet, ...rest } = item;
  return rest as T;
}
