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
import { addDays } from "../domain/dates.ts";
import { dayTakenRefusal, type VisitDecision } from "../domain/decide-visit.ts";
import { type DelegatePersonalData, MAX_VISIT_DAYS, type MemberWithPersonalData, type Visit } from "../domain/model.ts";
import {
  facetsOf,
  governorDayKey,
  governorVisitsQuery,
  personalKey,
  VISIT_FACET_PREFIX,
  type VisitFilter,
  visitKey,
  visitQuery,
} from "./keys.ts";

export type { VisitFilter } from "./keys.ts";

/** More visits than a calendar feed shows at once would be a query to narrow, not a feed. */
const CALENDAR_LIMIT = 1000;

/**
 * Visits on DynamoDB: loads what the domain decides on, and writes a decision (the visit, its facet
 * copies, the delegates' personal data, the governor's days, the audit entry and the events) in one
 * transaction. What a change means is decided in `domain/decide-visit.ts`, never here.
 */
export class VisitStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<Visit | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: visitKey(id) }));
    return Item ? withoutKeys<Visit>(Item) : undefined;
  }

  /** The members with their personal data; undefined when there is no such visit. */
  async members(id: string): Promise<MemberWithPersonalData[] | undefined> {
    const visit = await this.get(id);
    if (!visit) return undefined;
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: personalKey(id) }));
    const personal = (Item?.members ?? {}) as Record<string, DelegatePersonalData>;
    return visit.members.map((member) => ({ ...member, personal: personal[member.id] ?? {} }));
  }

  /**
   * Every governor engagement that could share a day with the period: those starting up to
   * MAX_VISIT_DAYS before it (none lasts longer) until its end. Whether one clashes is the domain's call.
   */
  async governorVisitsAround(period: { startDate: string; endDate: string }): Promise<Visit[]> {
    const query = governorVisitsQuery(this.tableName, addDays(period.startDate, -MAX_VISIT_DAYS), period.endDate);
    return (await queryAll(this.client, query)).map((item) => withoutKeys<Visit>(item));
  }

  async list(filter: VisitFilter, limit: number, cursor?: string): Promise<Page<Visit>> {
    return queryPage(this.client, visitQuery(this.tableName, filter), limit, cursor, (item) =>
      withoutKeys<Visit>(item),
    );
  }

  /** Every visit overlapping the period, for the calendar feed. */
  async calendar(filter: VisitFilter): Promise<Visit[]> {
    const page = await queryPage(this.client, visitQuery(this.tableName, filter), CALENDAR_LIMIT, undefined, (item) =>
      withoutKeys<Visit>(item),
    );
    return page.items;
  }

  /** Writes a decision in one transaction; returns the visit as written. */
  async commit(decision: VisitDecision, context: WriteContext): Promise<Visit> {
    await (await this.transactionOf(decision, context)).commit(this.client);
    return decision.state;
  }

  /**
   * The transaction that writes a decision, for `commit` and for tests that count its actions:
   * the visit on the version read, its facet copies (dropping those it left), the personal data when
   * the members changed, each governor's day taken on condition or given back, the audit entry and
   * the events.
   */
  async transactionOf(decision: VisitDecision, context: WriteContext): Promise<Transaction> {
    const visit = decision.state;
    const tx = new Transaction(this.tableName, context);
    this.putVisit(tx, visit, decision.expectedVersion);
    if (decision.personal) tx.put({ ...personalKey(visit.id), members: decision.personal });
    putFacetCopies(tx, {
      pk: visitKey(visit.id).pk,
      indexPrefix: VISIT_FACET_PREFIX,
      facets: facetsOf(visit),
      previous: decision.expectedVersion === null ? [] : await this.storedFacets(visit.id),
      item: visit,
      sortKeys: { gsi1sk: `${visit.startDate}#${visit.id}` },
    });
    for (const day of decision.daysToTake) {
      tx.put(
        { ...governorDayKey(day), visitId: visit.id, day },
        {
          expression: "attribute_not_exists(pk) OR visitId = :self",
          values: { ":self": visit.id },
          // Another approval took the day between our read and our write: name who holds it.
          onFailed: (holder) => new Refused(dayTakenRefusal(decision, String(holder?.visitId))),
        },
      );
    }
    for (const day of decision.daysToRelease) tx.delete(governorDayKey(day));
    tx.audit(decision.audit).publishAll(decision.events);
    return tx;
  }

  /**
   * The visit, on condition that it is still the version the decision was made on (or, new, absent).
   * Otherwise a concurrent write won: the use case reads again and decides anew (a stale If-Match
   * is then refused by the domain, naming the current version).
   */
  private putVisit(tx: Transaction, visit: Visit, expectedVersion: number | null): void {
    tx.put(
      { ...visitKey(visit.id), ...visit },
      expectedVersion === null
        ? {
            expression: "attribute_not_exists(pk)",
            onFailed: () => new VersionConflict(`visit ${visit.id} exists already`),
          }
        : {
            expression: "version = :expected",
            values: { ":expected": expectedVersion },
            onFailed: () => new VersionConflict(`visit ${visit.id} changed since version ${expectedVersion}`),
          },
    );
  }

  private async storedFacets(id: string): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :facet)",
      ExpressionAttributeValues: { ":pk": visitKey(id).pk, ":facet": "FACET#" },
      ProjectionExpression: "sk",
    });
    return facetsIn(items);
  }
}
