import type { QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { periodQuery } from "@cdp/lambda-kit";
import { MAX_VISIT_DAYS, type Visit, type VisitStatus } from "../domain/model.ts";

/**
 * Single-table layout of Visit Scheduling.
 *
 * | item                 | pk                   | sk             | gsi1pk / gsi1sk                        |
 * |----------------------|----------------------|----------------|----------------------------------------|
 * | visit                | VISIT#<id>           | VISIT          |                                        |
 * | delegates' personal  | VISIT#<id>           | PERSONAL       |                                        |
 * | visit facet copy     | VISIT#<id>           | FACET#<facet>  | V#<facet> / <startDate>#<id>           |
 * | governor's day       | GOVERNOR#<date>      | ENGAGEMENT     |                                        |
 * | conference           | CONFERENCE#<id>      | CONFERENCE     | CONFERENCES / <startDate>#<id>         |
 * | plan settings        | PLAN#<fiscal year>   | SETTINGS       |                                        |
 *
 * Facets: `all`, `status#<s>`, `direction#<d>`, `partner#<id>` and `governor` (head-level visits).
 * The governor's days are the lock that makes "never in two places" hold under concurrency: approving
 * writes one item per day with a condition, in the same transaction as the status change.
 */
export const visitKey = (id: string) => ({ pk: `VISIT#${id}`, sk: "VISIT" });
export const personalKey = (id: string) => ({ pk: `VISIT#${id}`, sk: "PERSONAL" });
export const governorDayKey = (day: string) => ({ pk: `GOVERNOR#${day}`, sk: "ENGAGEMENT" });
export const conferenceKey = (id: string) => ({ pk: `CONFERENCE#${id}`, sk: "CONFERENCE" });
export const planKey = (fiscalYear: number) => ({ pk: `PLAN#${fiscalYear}`, sk: "SETTINGS" });
export const VISIT_FACET_PREFIX = "V#";
export const CONFERENCES_INDEX = "CONFERENCES";

export function facetsOf(visit: Visit): string[] {
  return [
    "all",
    `status#${visit.status}`,
    `direction#${visit.direction}`,
    ...visit.partnerIds.map((partnerId) => `partner#${partnerId}`),
    ...(visit.governorEngagement ? ["governor"] : []),
  ];
}

export interface VisitFilter {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly status?: VisitStatus | undefined;
  readonly direction?: "outbound" | "inbound" | undefined;
}

/** Governor engagements starting from `from` to `to` (both `YYYY-MM-DD`), by start date. */
export function governorVisitsQuery(tableName: string, from: string, to: string): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :facet AND gsi1sk BETWEEN :start AND :end",
    ExpressionAttributeValues: { ":facet": `${VISIT_FACET_PREFIX}governor`, ":start": from, ":end": `${to}#\uffff` },
  };
}

/** The most selective facet; the other filters become a filter expression. */
export function visitQuery(tableName: string, filter: VisitFilter): QueryCommandInput {
  const facet = filter.partnerId
    ? `partner#${filter.partnerId}`
    : filter.status
      ? `status#${filter.status}`
      : filter.direction
        ? `direction#${filter.direction}`
        : "all";
  const other = (name: "status" | "direction", value: string | undefined) =>
    value !== undefined && facet !== `${name}#${value}` ? value : undefined;
  return periodQuery(tableName, `${VISIT_FACET_PREFIX}${facet}`, filter, MAX_VISIT_DAYS, {
    status: other("status", filter.status),
    direction: other("direction", filter.direction),
  });
}
