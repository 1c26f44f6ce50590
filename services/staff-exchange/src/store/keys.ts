import type { QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { periodQuery } from "@cdp/lambda-kit";
import { LIMITS, type Placement, type PlacementStatus } from "../domain/model.ts";

/**
 * Single-table layout of the staff exchange.
 *
 * | item                     | pk                          | sk                      | gsi1pk / gsi1sk                 |
 * |--------------------------|-----------------------------|-------------------------|---------------------------------|
 * | programme                | PROGRAMME#<id>              | PROGRAMME               | PROGRAMMES / <id>               |
 * | quota used, a year & way | PROGRAMME#<id>              | QUOTA#<fy>#<direction>  |                                 |
 * | placement                | PLACEMENT#<id>              | PLACEMENT               |                                 |
 * | the person's data        | PLACEMENT#<id>              | PERSONAL                |                                 |
 * | placement facet copy     | PLACEMENT#<id>              | FACET#<facet>           | X#<facet> / <startDate>#<id>    |
 * | a person's live terms    | PERSON#<staffId>            | TERMS                   |                                 |
 * | partner copy             | PARTNER#<id>                | COPY                    |                                 |
 * | agreement copy           | PARTNER#<id>                | AGREEMENT#<agreementId> |                                 |
 *
 * Facets: `all`, `status#<s>`, `direction#<d>`, `partner#<id>`, `programme#<id>` and `funding-overdue`.
 * Two locks make the rules hold under concurrency: the quota item (approval adds to it on condition that
 * it stays within the quota) and the person's terms (written on the version read).
 */
export const programmeKey = (id: string) => ({ pk: `PROGRAMME#${id}`, sk: "PROGRAMME" });
export const quotaKey = (programmeId: string, fiscalYear: number, direction: Placement["direction"]) => ({
  pk: `PROGRAMME#${programmeId}`,
  sk: `QUOTA#${fiscalYear}#${direction}`,
});
export const placementKey = (id: string) => ({ pk: `PLACEMENT#${id}`, sk: "PLACEMENT" });
export const personalKey = (id: string) => ({ pk: `PLACEMENT#${id}`, sk: "PERSONAL" });
export const personTermsKey = (staffId: string) => ({ pk: `PERSON#${staffId}`, sk: "TERMS" });
export const partnerCopyKey = (partnerId: string) => ({ pk: `PARTNER#${partnerId}`, sk: "COPY" });
export const agreementCopyKey = (partnerId: string, agreementId: string) => ({
  pk: `PARTNER#${partnerId}`,
  sk: `AGREEMENT#${agreementId}`,
});
export const PROGRAMMES_INDEX = "PROGRAMMES";
export const PLACEMENT_FACET_PREFIX = "X#";
export const FUNDING_OVERDUE = "funding-overdue";

export function facetsOf(placement: Placement): string[] {
  return [
    "all",
    `status#${placement.status}`,
    `direction#${placement.direction}`,
    `partner#${placement.partnerId}`,
    `programme#${placement.programmeId}`,
    ...(placement.status === "approved" && placement.fundingOverdueSince !== null ? [FUNDING_OVERDUE] : []),
  ];
}

const FACET_OF = { programmeId: "programme", partnerId: "partner", status: "status", direction: "direction" } as const;

export interface PlacementFilter {
  readonly programmeId?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly direction?: Placement["direction"] | undefined;
  readonly status?: PlacementStatus | undefined;
  readonly fundingOverdue?: boolean | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/**
 * The most selective facet is the partition; the other filters become a filter expression. The period
 * bounds the start date in the key (no term is longer than LIMITS.maxTermDays) and the end in the filter.
 */
export function placementQuery(tableName: string, filter: PlacementFilter): QueryCommandInput {
  const facet = filter.fundingOverdue
    ? FUNDING_OVERDUE
    : filter.programmeId
      ? `programme#${filter.programmeId}`
      : filter.partnerId
        ? `partner#${filter.partnerId}`
        : filter.status
          ? `status#${filter.status}`
          : filter.direction
            ? `direction#${filter.direction}`
            : "all";
  const other = (name: keyof typeof FACET_OF, value: string | undefined) =>
    value !== undefined && facet !== `${FACET_OF[name]}#${value}` ? value : undefined;
  return periodQuery(tableName, `${PLACEMENT_FACET_PREFIX}${facet}`, filter, LIMITS.maxTermDays, {
    programmeId: other("programmeId", filter.programmeId),
    partnerId: other("partnerId", filter.partnerId),
    status: other("status", filter.status),
    direction: other("direction", filter.direction),
  });
}
