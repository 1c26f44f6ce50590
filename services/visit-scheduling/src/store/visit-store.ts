import { randomUUID } from "node:crypto";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { VisitApproved, VisitCancelled, VisitCompleted, VisitConfirmed } from "@cdp/contracts";
import {
  facetsIn,
  type Page,
  problems,
  putFacetCopies,
  queryAll,
  queryPage,
  Transaction,
  type WriteContext,
  withoutKeys,
  withRetries,
} from "@cdp/lambda-kit";
import { engagementDays, governorClashes, needsGovernor } from "../domain/clash.ts";
import { addDays } from "../domain/dates.ts";
import { checkEdit, nextStatus, TransitionRefused, type VisitAction } from "../domain/lifecycle.ts";
import {
  type Conference,
  type ConferenceInput,
  type DelegatePersonalData,
  MAX_VISIT_DAYS,
  type MemberInput,
  type MemberWithPersonalData,
  type PlanSettingsInput,
  type Visit,
  type VisitInput,
  type VisitPatch,
  type VisitStatus,
} from "../domain/model.ts";
import { type AnnualPlan, annualPlan, DEFAULT_PLAN_SETTINGS, fiscalYearRange, plannedVisitOf } from "../domain/plan.ts";

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
const visitKey = (id: string) => ({ pk: `VISIT#${id}`, sk: "VISIT" });
const personalKey = (id: string) => ({ pk: `VISIT#${id}`, sk: "PERSONAL" });
const governorDayKey = (day: string) => ({ pk: `GOVERNOR#${day}`, sk: "ENGAGEMENT" });
const conferenceKey = (id: string) => ({ pk: `CONFERENCE#${id}`, sk: "CONFERENCE" });
const planKey = (fiscalYear: number) => ({ pk: `PLAN#${fiscalYear}`, sk: "SETTINGS" });
const VISIT_FACET_PREFIX = "V#";
const CONFERENCES_INDEX = "CONFERENCES";
/** More visits than a calendar feed shows at once would be a query to narrow, not a feed. */
const CALENDAR_LIMIT = 1000;

function facetsOf(visit: Visit): string[] {
  return [
    "all",
    `status#${visit.status}`,
    `direction#${visit.direction}`,
    ...visit.partnerIds.map((partnerId) => `partner#${partnerId}`),
    ...(visit.governorEngagement ? ["governor"] : []),
  ];
}

function costEstimateOf(input: VisitInput["costEstimate"]): Visit["costEstimate"] {
  return { ...input, totalYen: input.breakdown.reduce((sum, line) => sum + line.amountYen, 0) };
}

/** Members get ids; their personal data is split off to be stored apart. */
function splitMembers(members: readonly MemberInput[]): {
  members: Visit["members"];
  personal: Record<string, DelegatePersonalData>;
} {
  const personal: Record<string, DelegatePersonalData> = {};
  const publicMembers = members.map(({ personal: data, ...member }) => {
    const id = randomUUID();
    if (data) personal[id] = data;
    return { id, ...member };
  });
  return { members: publicMembers, personal };
}

export interface VisitFilter {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly status?: VisitStatus | undefined;
  readonly direction?: "outbound" | "inbound" | undefined;
}

export class VisitStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ---- visits ---------------------------------------------------------------------------------

  async propose(input: VisitInput, context: WriteContext): Promise<Visit> {
    const now = context.now.toISOString();
    const { members, personal } = splitMembers(input.members);
    const visit: Visit = {
      id: randomUUID(),
      direction: input.direction,
      partnerIds: input.partnerIds,
      delegationHead: input.delegationHead,
      purpose: input.purpose,
      purposeStatement: input.purposeStatement,
      priority: input.priority,
      startDate: input.startDate,
      endDate: input.endDate,
      itinerary: input.itinerary,
      members,
      costEstimate: costEstimateOf(input.costEstimate),
      actualCostYen: null,
      conferenceId: input.conferenceId ?? null,
      status: "proposed",
      cancellationReason: null,
      governorEngagement: needsGovernor(input),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const tx = new Transaction(this.tableName, context).put({ ...visitKey(visit.id), ...visit });
    tx.put({ ...personalKey(visit.id), members: personal });
    this.putFacets(tx, visit, []);
    tx.audit({ entity: `visit#${visit.id}`, action: "visit.proposed", beforeVersion: null, afterVersion: 1 });
    await tx.commit(this.client);
    return visit;
  }

  async get(id: string): Promise<Visit | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: visitKey(id) }));
    return Item ? withoutKeys<Visit>(Item) : undefined;
  }

  async members(id: string): Promise<MemberWithPersonalData[]> {
    const visit = await this.require(id);
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: personalKey(id) }));
    const personal = (Item?.members ?? {}) as Record<string, DelegatePersonalData>;
    return visit.members.map((member) => ({ ...member, personal: personal[member.id] ?? {} }));
  }

  async edit(id: string, patch: VisitPatch, expectedVersion: number, context: WriteContext): Promise<Visit> {
    const current = await this.require(id);
    if (current.version !== expectedVersion) throw problems.preconditionFailed(current.version);
    this.refuseIf(() => checkEdit(current, Object.keys(patch)));
    const { members: memberInputs, costEstimate, conferenceId, ...rest } = patch;
    const split = memberInputs ? splitMembers(memberInputs) : undefined;
    const merged: Visit = {
      ...current,
      ...rest,
      ...(costEstimate && { costEstimate: costEstimateOf(costEstimate) }),
      ...(conferenceId !== undefined && { conferenceId }),
      ...(split && { members: split.members }),
      version: current.version + 1,
      updatedAt: context.now.toISOString(),
    };
    const updated: Visit = { ...merged, governorEngagement: needsGovernor(merged) };
    // The patch's own checks saw only the fields it named; the merged visit must hold together too.
    if (updated.endDate < updated.startDate) {
      throw problems.validation([{ path: "body.endDate", message: "must not be before startDate" }]);
    }
    if (engagementDays(updated).length > MAX_VISIT_DAYS) {
      throw problems.validation([{ path: "body.endDate", message: `a visit lasts at most ${MAX_VISIT_DAYS} days` }]);
    }
    if (updated.itinerary.some((e) => e.date < updated.startDate || e.date > updated.endDate)) {
      throw problems.validation([
        { path: "body.itinerary", message: "every itinerary date must fall within the visit" },
      ]);
    }
    const tx = new Transaction(this.tableName, context);
    this.putIfVersion(tx, updated, expectedVersion);
    if (split) tx.put({ ...personalKey(id), members: split.personal });
    this.putFacets(tx, updated, await this.facetsOfStored(id));
    tx.audit({
      entity: `visit#${id}`,
      action: "visit.edited",
      beforeVersion: expectedVersion,
      afterVersion: updated.version,
    });
    await tx.commit(this.client);
    return updated;
  }

  /**
   * Moves a visit through its life cycle. Approving a governor engagement takes the governor's days
   * (a clash is a 409 naming the visits holding them); cancelling gives them back.
   */
  async transition(
    id: string,
    action: VisitAction,
    details: { expectedVersion?: number | undefined; actualCostYen?: number; reason?: string },
    context: WriteContext,
  ): Promise<Visit> {
    // A race lost to a concurrent write is tried again from a fresh read, which then sees the winner.
    return withRetries(() => this.transitionOnce(id, action, details, context));
  }

  private async transitionOnce(
    id: string,
    action: VisitAction,
    details: { expectedVersion?: number | undefined; actualCostYen?: number; reason?: string },
    context: WriteContext,
  ): Promise<Visit> {
    const current = await this.require(id);
    if (details.expectedVersion !== undefined && current.version !== details.expectedVersion) {
      throw problems.preconditionFailed(current.version);
    }
    const status = this.refuseIf(() => nextStatus(current, action));
    const updated: Visit = {
      ...current,
      status,
      ...(action === "complete" && { actualCostYen: details.actualCostYen ?? null }),
      ...(action === "cancel" && { cancellationReason: details.reason ?? null }),
      version: current.version + 1,
      updatedAt: context.now.toISOString(),
    };
    const tx = new Transaction(this.tableName, context);
    this.putIfVersion(tx, updated, current.version);
    this.putFacets(tx, updated, await this.facetsOfStored(id));

    const holdsDays = current.status === "approved" || current.status === "confirmed";
    if (action === "approve" && current.governorEngagement) {
      await this.refuseClashes(current);
      for (const day of engagementDays(current)) {
        tx.put(
          { ...governorDayKey(day), visitId: id, day },
          {
            expression: "attribute_not_exists(pk) OR visitId = :self",
            values: { ":self": id },
            // Another approval took the day between our check and our write: name who holds it.
            onFailed: (holder) => this.clashProblem(current, [String(holder?.visitId)]),
          },
        );
      }
    }
    if (action === "cancel" && current.governorEngagement && holdsDays) {
      for (const day of engagementDays(current)) tx.delete(governorDayKey(day));
    }

    const publicVisit = {
      visitId: id,
      direction: current.direction,
      partnerIds: current.partnerIds,
      delegationHead: current.delegationHead,
      purpose: current.purpose,
      purposeStatement: current.purposeStatement,
      startDate: current.startDate,
      endDate: current.endDate,
    };
    if (action === "approve") tx.publish(VisitApproved, publicVisit);
    if (action === "confirm") tx.publish(VisitConfirmed, publicVisit);
    if (action === "cancel") {
      tx.publish(VisitCancelled, {
        ...publicVisit,
        reason: details.reason ?? "",
        previousStatus: current.status as "proposed" | "approved" | "confirmed",
      });
    }
    if (action === "complete") {
      tx.publish(VisitCompleted, {
        visitId: id,
        direction: current.direction,
        partnerIds: current.partnerIds,
        leaderLevel: current.delegationHead.level,
        startDate: current.startDate,
        endDate: current.endDate,
      });
    }
    tx.audit({
      entity: `visit#${id}`,
      action: `visit.${action}`,
      beforeVersion: current.version,
      afterVersion: updated.version,
    });
    await tx.commit(this.client);
    return updated;
  }

  async list(filter: VisitFilter, limit: number, cursor?: string): Promise<Page<Visit>> {
    return queryPage(this.client, this.visitQuery(filter), limit, cursor, (item) => withoutKeys<Visit>(item));
  }

  /** Every visit overlapping the period, for the calendar feed. */
  async calendar(filter: VisitFilter): Promise<Visit[]> {
    return (
      await queryPage(this.client, this.visitQuery(filter), CALENDAR_LIMIT, undefined, (item) =>
        withoutKeys<Visit>(item),
      )
    ).items;
  }

  // ---- plan -------------------------------------------------------------------------------------

  async plan(fiscalYear: number): Promise<AnnualPlan> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: planKey(fiscalYear) }));
    const settings: PlanSettingsInput = Item
      ? { tripCap: Number(Item.tripCap), travelBudgetYen: Number(Item.travelBudgetYen) }
      : DEFAULT_PLAN_SETTINGS;
    const { start, end } = fiscalYearRange(fiscalYear);
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :facet AND gsi1sk BETWEEN :start AND :end",
      ExpressionAttributeValues: {
        ":facet": `${VISIT_FACET_PREFIX}governor`,
        ":start": start,
        ":end": `${end}#\uffff`,
      },
    });
    return annualPlan(
      fiscalYear,
      settings,
      items.map((item) => plannedVisitOf(withoutKeys<Visit>(item))),
    );
  }

  async setPlan(fiscalYear: number, settings: PlanSettingsInput, context: WriteContext): Promise<void> {
    await new Transaction(this.tableName, context)
      .put({ ...planKey(fiscalYear), ...settings, updatedAt: context.now.toISOString() })
      .audit({ entity: `plan#${fiscalYear}`, action: "plan.set", beforeVersion: null, afterVersion: null })
      .commit(this.client);
  }

  // ---- conferences -------------------------------------------------------------------------------

  async createConference(input: ConferenceInput, context: WriteContext): Promise<Conference> {
    const conference: Conference = {
      ...input,
      id: randomUUID(),
      bidDeadline: input.bidDeadline ?? null,
      createdAt: context.now.toISOString(),
    };
    if (conference.visitIds.length > 0) {
      const { Responses } = await this.client.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: conference.visitIds.map(visitKey), ProjectionExpression: "id" } },
        }),
      );
      const found = new Set((Responses?.[this.tableName] ?? []).map((item) => String(item.id)));
      const missing = conference.visitIds.filter((visitId) => !found.has(visitId));
      if (missing.length > 0) throw problems.notFound(`Visit ${missing.join(", ")}`);
    }
    await new Transaction(this.tableName, context)
      .put({
        ...conferenceKey(conference.id),
        gsi1pk: CONFERENCES_INDEX,
        gsi1sk: `${conference.startDate}#${conference.id}`,
        ...conference,
      })
      .audit({
        entity: `conference#${conference.id}`,
        action: "conference.created",
        beforeVersion: null,
        afterVersion: 1,
      })
      .commit(this.client);
    return conference;
  }

  async listConferences(
    filter: { from?: string | undefined; to?: string | undefined },
    limit: number,
    cursor?: string,
  ) {
    return queryPage(this.client, this.periodQuery(CONFERENCES_INDEX, filter, []), limit, cursor, (item) =>
      withoutKeys<Conference>(item),
    );
  }

  // ---- internals --------------------------------------------------------------------------------

  private async require(id: string): Promise<Visit> {
    const visit = await this.get(id);
    if (!visit) throw problems.notFound(`Visit ${id}`);
    return visit;
  }

  /** Runs a domain rule, turning its refusal into a 409 that names the visit's state. */
  private refuseIf<T>(rule: () => T): T {
    try {
      return rule();
    } catch (error) {
      if (error instanceof TransitionRefused) {
        throw problems.conflict(error.message, { currentStatus: error.currentStatus, action: error.action });
      }
      throw error;
    }
  }

  private async refuseClashes(candidate: Visit): Promise<void> {
    const nearby = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :facet AND gsi1sk BETWEEN :start AND :end",
      ExpressionAttributeValues: {
        ":facet": `${VISIT_FACET_PREFIX}governor`,
        ":start": addDays(candidate.startDate, -MAX_VISIT_DAYS),
        ":end": `${candidate.endDate}#\uffff`,
      },
    });
    const clashes = governorClashes(
      candidate,
      nearby.map((item) => withoutKeys<Visit>(item)),
    );
    if (clashes.length > 0)
      throw this.clashProblem(
        candidate,
        clashes.map((v) => v.id),
      );
  }

  private clashProblem(candidate: Visit, clashingVisitIds: readonly string[]) {
    return problems.conflict(
      `The governor cannot be in two places: this visit (${candidate.startDate} to ${candidate.endDate}) clashes with ${clashingVisitIds.join(", ")}`,
      { currentStatus: candidate.status, clashingVisits: clashingVisitIds },
    );
  }

  private putIfVersion(tx: Transaction, visit: Visit, expectedVersion: number): void {
    tx.put(
      { ...visitKey(visit.id), ...visit },
      {
        expression: "version = :expected",
        values: { ":expected": expectedVersion },
        onFailed: (item) => problems.preconditionFailed(Number(item?.version ?? 0)),
      },
    );
  }

  private putFacets(tx: Transaction, visit: Visit, previous: readonly string[]): void {
    putFacetCopies(tx, {
      pk: visitKey(visit.id).pk,
      indexPrefix: VISIT_FACET_PREFIX,
      facets: facetsOf(visit),
      previous,
      item: visit,
      sortKeys: { gsi1sk: `${visit.startDate}#${visit.id}` },
    });
  }

  private async facetsOfStored(id: string): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :facet)",
      ExpressionAttributeValues: { ":pk": visitKey(id).pk, ":facet": "FACET#" },
      ProjectionExpression: "sk",
    });
    return facetsIn(items);
  }

  /** The most selective facet; the other filters become a filter expression. */
  private visitQuery(filter: VisitFilter): QueryCommandInput {
    const facet = filter.partnerId
      ? `partner#${filter.partnerId}`
      : filter.status
        ? `status#${filter.status}`
        : filter.direction
          ? `direction#${filter.direction}`
          : "all";
    const extra: { expression: string; name: string; value: string }[] = [];
    if (filter.status && facet !== `status#${filter.status}`)
      extra.push({ expression: "#status = :status", name: "status", value: filter.status });
    if (filter.direction && facet !== `direction#${filter.direction}`) {
      extra.push({ expression: "#direction = :direction", name: "direction", value: filter.direction });
    }
    return this.periodQuery(`${VISIT_FACET_PREFIX}${facet}`, filter, extra);
  }

  /**
   * Items overlapping [from, to], sorted by start date: the key condition bounds the start date (an
   * item lasts at most MAX_VISIT_DAYS, so one starting earlier cannot reach `from`), the filter the end.
   */
  private periodQuery(
    partition: string,
    period: { from?: string | undefined; to?: string | undefined },
    extra: readonly { expression: string; name: string; value: string }[],
  ): QueryCommandInput {
    const conditions = extra.map((e) => e.expression);
    const names: Record<string, string> = Object.fromEntries(extra.map((e) => [`#${e.name}`, e.name]));
    const values: Record<string, unknown> = { ":partition": partition };
    for (const e of extra) values[`:${e.name}`] = e.value;
    let keyCondition = "gsi1pk = :partition";
    if (period.from !== undefined || period.to !== undefined) {
      keyCondition += " AND gsi1sk BETWEEN :earliest AND :latest";
      values[":earliest"] = period.from ? addDays(period.from, -MAX_VISIT_DAYS) : "0000";
      values[":latest"] = `${period.to ?? "9999-12-31"}#\uffff`;
    }
    if (period.from !== undefined) {
      conditions.push("#endDate >= :from");
      names["#endDate"] = "endDate";
      values[":from"] = period.from;
    }
    return {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: keyCondition,
      ...(conditions.length > 0 && { FilterExpression: conditions.join(" AND "), ExpressionAttributeNames: names }),
      ExpressionAttributeValues: values,
    };
  }
}
