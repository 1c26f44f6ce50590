import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { addDays } from "@cdp/contracts";
import { decodeCursor, encodeCursor, type Page, Refused, refuse } from "@cdp/lambda-kit";

/**
 * Lists partitioned by month or by year (calls, hospitality, gifts, greetings): a period reads only the partitions it
 * covers, in order, each from its first day in the period to its last. A page may run across partitions; its
 * cursor names the partition to go on in (the last key read, or just the next partition's name).
 */

/** A period of calendar days `YYYY-MM-DD`, both ends known (`periodOf` closes open ones). */
export interface Period {
  readonly from: string;
  readonly to: string;
}

/** A period as a list route takes it: either end may be open. */
export interface PeriodQuery {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** Longest periods a list reads: three years of months (calls, hospitality), thirty years (gifts, greetings). */
export const MAX_MONTHS = 36;
export const MAX_YEARS = 30;

const tooLong = (count: number, unit: string) =>
  new Refused(refuse.invalid([{ path: "query.from", message: `the period may cover at most ${count} ${unit}` }]));

/** Months since year 0, kept within the years a date may have (0000–9999): an open end never leaves them. */
const LAST_MONTH = 9999 * 12 + 11;
const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
const within = (index: number) => Math.min(LAST_MONTH, Math.max(0, index));
const firstDayOf = (index: number) =>
  `${String(Math.floor(within(index) / 12)).padStart(4, "0")}-${String((within(index) % 12) + 1).padStart(2, "0")}-01`;
const lastDayOf = (index: number) => (within(index) === LAST_MONTH ? "9999-12-31" : addDays(firstDayOf(index + 1), -1));

/**
 * The period a month-partitioned list covers: as asked, or `months` months around what is given: from this month
 * on (`ahead`: the calls to come) or up to this month (`behind`: the records kept). With one end only, as many months
 * from (or to) it.
 */
export function monthPeriodOf(
  query: PeriodQuery,
  today: string,
  open: { months: number; from: "ahead" | "behind" },
): Period {
  const span = open.months - 1;
  if (query.from && query.to) return { from: query.from, to: query.to };
  if (query.from) return { from: query.from, to: lastDayOf(monthIndex(query.from) + span) };
  if (query.to) return { from: firstDayOf(monthIndex(query.to) - span), to: query.to };
  const now = monthIndex(today);
  return open.from === "ahead"
    ? { from: firstDayOf(now), to: lastDayOf(now + span) }
    : { from: firstDayOf(now - span), to: lastDayOf(now) };
}

/** The period a year-partitioned list covers: as asked; open ends from five years back to the end of next year. */
export function yearPeriodOf(query: PeriodQuery, today: string): Period {
  const year = Number(today.slice(0, 4));
  const lastYear = Math.max(year, Number((query.from ?? today).slice(0, 4))) + 1;
  const firstYear = Math.min(year, Number((query.to ?? today).slice(0, 4))) - 5;
  const yearOf = (y: number) => String(Math.min(9999, Math.max(0, y))).padStart(4, "0");
  return { from: query.from ?? `${yearOf(firstYear)}-01-01`, to: query.to ?? `${yearOf(lastYear)}-12-31` };
}

/** Every month `YYYY-MM` the period touches; refused past `MAX_MONTHS`. */
export function monthsOf(period: Period): string[] {
  const [first, last] = [monthIndex(period.from), monthIndex(period.to)];
  if (last - first + 1 > MAX_MONTHS) throw tooLong(MAX_MONTHS, "months");
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, n) => firstDayOf(first + n).slice(0, 7));
}

/** Every year `YYYY` the period touches; refused past `MAX_YEARS`. */
export function yearsOf(period: Period): string[] {
  const first = Number(period.from.slice(0, 4));
  const count = Number(period.to.slice(0, 4)) - first + 1;
  if (count > MAX_YEARS) throw tooLong(MAX_YEARS, "years");
  return Array.from({ length: Math.max(0, count) }, (_, n) => String(first + n).padStart(4, "0"));
}

export interface PartitionedQuery {
  readonly tableName: string;
  /** gsi1 partitions in order; each sorted by `<date>#<id>`. */
  readonly partitions: readonly string[];
  readonly period: Period;
  readonly filter?: {
    readonly expression: string;
    readonly names?: Readonly<Record<string, string>>;
    readonly values: Readonly<Record<string, unknown>>;
  };
}

const badCursor = () =>
  new Refused(refuse.invalid([{ path: "query.cursor", message: "not a cursor of this list and period" }]));

function isKeyWithin(key: Record<string, unknown>, period: Period): boolean {
  const names = Object.keys(key).sort().join(",");
  const sortKey = String(key.gsi1sk);
  return names === "gsi1pk,gsi1sk,pk,sk" && sortKey >= period.from && sortKey <= `${period.to}\uffff`;
}

/** A page of `limit` items across the partitions, in date order. */
export async function pageAcross<T>(
  client: DynamoDBDocumentClient,
  query: PartitionedQuery,
  limit: number,
  cursor: string | undefined,
  toItem: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const resumed = decodeCursor(cursor);
  let index = resumed ? query.partitions.indexOf(String(resumed.gsi1pk)) : 0;
  if (index < 0) throw badCursor();
  // A cursor naming only a partition starts it from the beginning; a key must be one this period's query read.
  let startKey = resumed && Object.keys(resumed).length > 1 ? resumed : undefined;
  if (startKey && !isKeyWithin(startKey, query.period)) throw badCursor();
  const items: T[] = [];
  while (index < query.partitions.length) {
    const partition = query.partitions[index] as string;
    const page = await client.send(
      new QueryCommand({
        TableName: query.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :partition AND gsi1sk BETWEEN :from AND :to",
        ...(query.filter && { FilterExpression: query.filter.expression }),
        ...(query.filter?.names && { ExpressionAttributeNames: query.filter.names }),
        ExpressionAttributeValues: {
          ":partition": partition,
          ":from": query.period.from,
          // Whatever follows the last day's date in a sort key (`#<id>`, `T10:00…`) sorts before this.
          ":to": `${query.period.to}\uffff`,
          ...query.filter?.values,
        },
        Limit: limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) items.push(toItem(item));
    startKey = page.LastEvaluatedKey;
    if (!startKey) index++;
    if (items.length >= limit) {
      const next = startKey ?? (index < query.partitions.length ? { gsi1pk: query.partitions[index] } : undefined);
      return { items, nextCursor: encodeCursor(next) };
    }
  }
  return { items, nextCursor: null };
}
