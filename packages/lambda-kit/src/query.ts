import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { addDays } from "@cdp/contracts";
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

/**
 * One facet's items overlapping [from, to] (both `YYYY-MM-DD`, either open), sorted by start date, for items
 * copied under `gsi1pk = partition` with `gsi1sk = <startDate>#<id>` and an `endDate` attribute. The key condition
 * bounds the start (no item lasts longer than `maxDays`, so one starting earlier cannot reach `from`), a filter the
 * end. `equals` adds attribute filters for the other criteria (undefined ones are left out).
 */
export function periodQuery(
  tableName: string,
  partition: string,
  period: { readonly from?: string | undefined; readonly to?: string | undefined },
  maxDays: number,
  equals: Readonly<Record<string, string | undefined>> = {},
): QueryCommandInput {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":partition": partition };
  for (const [name, value] of Object.entries(equals)) {
    if (value === undefined) continue;
    conditions.push(`#${name} = :${name}`);
    names[`#${name}`] = name;
    values[`:${name}`] = value;
  }
  let keyCondition = "gsi1pk = :partition";
  if (period.from !== undefined || period.to !== undefined) {
    keyCondition += " AND gsi1sk BETWEEN :earliest AND :latest";
    values[":earliest"] = period.from ? addDays(period.from, -maxDays) : "0000";
    values[":latest"] = `${period.to ?? "9999-12-31"}#\uffff`;
  }
  if (period.from !== undefined) {
    conditions.push("#endDate >= :from");
    names["#endDate"] = "endDate";
    values[":from"] = period.from;
  }
  return {
    TableName: tableName,
    IndexName: "gsi1",
    KeyConditionExpression: keyCondition,
    ...(conditions.length > 0 && { FilterExpression: conditions.join(" AND ") }),
    ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
    ExpressionAttributeValues: values,
  };
}
