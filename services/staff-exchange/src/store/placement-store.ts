import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  facetsIn,
  type Page,
  putFacetCopies,
  queryAll,
  queryPage,
  Refused,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
} from "@cdp/lambda-kit";
import type { PersonTerms, PlacementDecision } from "../domain/decide.ts";
import type { PersonalData, PersonTerm, Placement, QuotaUse } from "../domain/model.ts";
import { quotaTakenRefusal } from "../domain/placement-rules.ts";
import {
  facetsOf,
  PLACEMENT_FACET_PREFIX,
  type PlacementFilter,
  personalKey,
  personTermsKey,
  placementKey,
  placementQuery,
  quotaKey,
} from "./keys.ts";

export type { PlacementFilter } from "./keys.ts";

/**
 * Placements on DynamoDB: loads what the domain decides on, and writes a decision (the placement on the
 * version read, its facet copies, the person's data and terms, the quota, the audit entry and the
 * events, the ledger's requests among them) in one transaction. What a change means is decided in
 * `domain/decide.ts`, never here.
 */
export class PlacementStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(id: string, consistent = false): Promise<Placement | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: placementKey(id), ConsistentRead: consistent }),
    );
    return Item ? withoutKeys<Placement>(Item) : undefined;
  }

  /** The person's data; undefined when there is no such placement. */
  async personal(id: string): Promise<PersonalData | undefined> {
    // Both reads at once: the placement says whether there is one, its personal item what is known of the person.
    const [placement, { Item }] = await Promise.all([
      this.get(id),
      this.client.send(new GetCommand({ TableName: this.tableName, Key: personalKey(id) })),
    ]);
    if (!placement) return undefined;
    return (Item?.personal ?? {}) as PersonalData;
  }

  async personTerms(staffId: string): Promise<PersonTerms> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: personTermsKey(staffId), ConsistentRead: true }),
    );
    return Item ? { terms: Item.terms as PersonTerm[], version: Number(Item.version) } : { terms: [], version: null };
  }

  async quotaUsed(programmeId: string, fiscalYear: number, direction: Placement["direction"]): Promise<QuotaUse> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: quotaKey(programmeId, fiscalYear, direction),
        ConsistentRead: true,
      }),
    );
    return { placements: Number(Item?.placements ?? 0), days: Number(Item?.days ?? 0) };
  }

  list(filter: PlacementFilter, limit: number, cursor?: string): Promise<Page<Placement>> {
    return queryPage(this.client, placementQuery(this.tableName, filter), limit, cursor, (item) =>
      withoutKeys<Placement>(item),
    );
  }

  /** Writes a decision in one transaction; returns the placement as written. */
  async commit(decision: PlacementDecision, context: WriteContext): Promise<Placement> {
    await (await this.transactionOf(decision, context)).commit(this.client);
    return decision.state;
  }

  async transactionOf(decision: PlacementDecision, context: WriteContext): Promise<Transaction> {
    const placement = decision.state;
    const tx = new Transaction(this.tableName, context);
    tx.put(
      { ...placementKey(placement.id), ...placement },
      decision.expectedVersion === null
        ? {
            expression: "attribute_not_exists(pk)",
            onFailed: () => new VersionConflict(`placement ${placement.id} exists already`),
          }
        : {
            expression: "version = :expected",
            values: { ":expected": decision.expectedVersion },
            onFailed: () =>
              new VersionConflict(`placement ${placement.id} changed since version ${decision.expectedVersion}`),
          },
    );
    putFacetCopies(tx, {
      pk: placementKey(placement.id).pk,
      indexPrefix: PLACEMENT_FACET_PREFIX,
      facets: facetsOf(placement),
      previous: decision.expectedVersion === null ? [] : await this.storedFacets(placement.id),
      item: placement,
      sortKeys: { gsi1sk: `${placement.startDate}#${placement.id}` },
    });
    if (decision.personal) tx.put({ ...personalKey(placement.id), personal: decision.personal });
    if (decision.personTerms) this.writeTerms(tx, decision.personTerms);
    if (decision.quota) this.writeQuota(tx, placement, decision.quota);
    tx.audit(decision.audit).publishAll(decision.events);
    return tx;
  }

  /** The person's terms on the version read: a concurrent change to the same person makes the use case read again. */
  private writeTerms(tx: Transaction, change: NonNullable<PlacementDecision["personTerms"]>): void {
    const version = (change.expectedVersion ?? 0) + 1;
    tx.put(
      { ...personTermsKey(change.staffId), terms: change.terms, version },
      change.expectedVersion === null
        ? {
            expression: "attribute_not_exists(pk)",
            onFailed: () => new VersionConflict(`person ${change.staffId}'s terms were written meanwhile`),
          }
        : {
            expression: "version = :expected",
            values: { ":expected": change.expectedVersion },
            onFailed: () => new VersionConflict(`person ${change.staffId}'s terms changed meanwhile`),
          },
    );
  }

  /**
   * Adds to the quota used on condition that it stays within the quota: of two approvals for the last
   * slot, the second's transaction fails here and it is refused naming the quota. Giving back has no limit.
   */
  private writeQuota(tx: Transaction, placement: Placement, quota: NonNullable<PlacementDecision["quota"]>): void {
    const taking = quota.delta.placements > 0;
    tx.update(quotaKey(placement.programmeId, quota.fiscalYear, quota.direction), {
      expression: "ADD placements :placements, #days :days",
      names: { "#days": "days" },
      values: {
        ":placements": quota.delta.placements,
        ":days": quota.delta.days,
        ...(taking && {
          ":placementsLeft": quota.limit.placements - quota.delta.placements,
          ":daysLeft": quota.limit.days - quota.delta.days,
        }),
      },
      ...(taking && {
        condition: {
          expression: "attribute_not_exists(placements) OR (placements <= :placementsLeft AND #days <= :daysLeft)",
          onFailed: (current) =>
            new Refused(
              quotaTakenRefusal(placement, quota.limit, {
                placements: Number(current?.placements ?? 0),
                days: Number(current?.days ?? 0),
              }),
            ),
        },
      }),
    });
  }

  private async storedFacets(id: string): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :facet)",
      ExpressionAttributeValues: { ":pk": placementKey(id).pk, ":facet": "FACET#" },
      ProjectionExpression: "sk",
    });
    return facetsIn(items);
  }
}
