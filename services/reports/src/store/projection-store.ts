import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { fiscalYearOf, tokyoDate } from "@cdp/contracts";
import {
  queryAll,
  Transaction,
  TransactionTooLarge,
  VersionConflict,
  type WriteContext,
  withRetries,
} from "@cdp/lambda-kit";
import type { ProjectionSet, Slot } from "../domain/changes.ts";
import type {
  FundMonth,
  FundMovement,
  ProjectedAgreement,
  ProjectedConference,
  ProjectedNotice,
  ProjectedPartner,
  ProjectedPlacement,
  ProjectedProgramme,
  ProjectedReconciliation,
  ProjectedTripPlan,
  ProjectedVisit,
} from "../domain/projections.ts";

/**
 * The reports' read models in the service's own table. Layout (pk / sk):
 * - `PARTNERS` / partner id; `AGREEMENTS` / `<partner>#<agreement>`; `PROGRAMMES` / programme id;
 *   `TRIPPLANS` / fiscal year; `LEDGER` / `RECONCILIATION`: small sets, read whole;
 * - `VISITS#<fy>` / visit id and `CONFERENCES#<fy>` / conference id, by the fiscal year they start in (their dates
 *   are fixed once approved, so they never move);
 * - `PLACEMENT#<id>` / `PLACEMENT`, and its copy under `PLACEMENTS#<fy>` / id, moved if an edit changes the year;
 * - `FUND#<fy>` / `<programme>#<YYYY-MM>`: a programme's movements in a month, added to;
 * - `APPLIED#<event id>` / `APPLIED`: the fund's events already added, so none is added twice.
 * A report reads its fiscal year's partitions and the small sets: its cost follows the period, not the history.
 * Every entity item carries `rev`, the write's own optimistic version: two events for one entity never overwrite
 * each other blindly.
 */

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/** Where each slot's item lives. */
export function keyOf(slot: Slot): Key {
  switch (slot.kind) {
    case "partner":
      return { pk: "PARTNERS", sk: slot.id };
    case "agreement":
      return { pk: "AGREEMENTS", sk: slot.id };
    case "programme":
      return { pk: "PROGRAMMES", sk: slot.id };
    case "trip-plan":
      return { pk: "TRIPPLANS", sk: slot.id };
    case "reconciliation":
      return { pk: "LEDGER", sk: "RECONCILIATION" };
    case "visit":
      return { pk: `VISITS#${slot.fiscalYear}`, sk: slot.id };
    case "conference":
      return { pk: `CONFERENCES#${slot.fiscalYear}`, sk: slot.id };
    case "placement":
      return { pk: `PLACEMENT#${slot.id}`, sk: "PLACEMENT" };
    case "notice":
      return { pk: `NOTICE#${slot.id}`, sk: "NOTICE" };
  }
}

const placementCopy = (fiscalYear: number, placementId: string): Key => ({
  pk: `PLACEMENTS#${fiscalYear}`,
  sk: placementId,
});
const fundMonthKey = (fiscalYear: number, programme: string, month: string): Key => ({
  pk: `FUND#${fiscalYear}`,
  sk: `${programme}#${month}`,
});
const appliedKey = (eventId: string): Key => ({ pk: `APPLIED#${eventId}`, sk: "APPLIED" });

const failedNoticeCopy = (notice: ProjectedNotice): Key => ({
  pk: `FAILED_NOTICES#${fiscalYearOf(tokyoDate(new Date(notice.at)))}`,
  sk: notice.noticeId,
});

/**
 * A placement is also filed under its fiscal year, and moved should an edit change the year; a failed notice is
 * filed under the fiscal year it failed in, until it is sent.
 */
function copiesOf(slot: Slot, state: unknown, previous: unknown): { put: Key[]; remove: Key[] } {
  if (slot.kind === "notice") {
    const next = state as ProjectedNotice;
    const before = previous as ProjectedNotice | undefined;
    return {
      put: next.status === "failed" ? [failedNoticeCopy(next)] : [],
      remove: before?.status === "failed" ? [failedNoticeCopy(before)] : [],
    };
  }
  if (slot.kind !== "placement") return { put: [], remove: [] };
  const next = state as ProjectedPlacement;
  const before = previous as ProjectedPlacement | undefined;
  return {
    put: [placementCopy(next.fiscalYear, next.placementId)],
    remove:
      before && before.fiscalYear !== next.fiscalYear ? [placementCopy(before.fiscalYear, before.placementId)] : [],
  };
}

const FUND_FIELDS = ["appropriatedYen", "heldYen", "spentYen", "releasedYen"] as const;

export class ProjectionStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Loads an entity, asks `next` for its new state (null: nothing changes) and writes it on the revision read;
   * a write that lost a race reads again. `copies` are further items holding the same state (e.g. by year).
   */
  async change<T>(slot: Slot, next: (current: T | undefined) => T | null, context: WriteContext): Promise<T | null> {
    const key = keyOf(slot);
    return withRetries(async () => {
      const { Item: stored } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      const current = stored ? stateOf<T>(stored) : undefined;
      const state = next(current);
      if (state === null) return null;
      const rev = Number(stored?.rev ?? 0);
      const { put, remove } = copiesOf(slot, state, current);
      const tx = new Transaction(this.tableName, context).put(
        { ...key, ...(state as object), rev: rev + 1 },
        {
          expression: stored ? "rev = :rev" : "attribute_not_exists(pk)",
          ...(stored && { values: { ":rev": rev } }),
          onFailed: () => new VersionConflict(`${key.pk}/${key.sk} changed while it was projected`),
        },
      );
      for (const copy of put) tx.put({ ...copy, ...(state as object) });
      for (const gone of remove) tx.delete(gone);
      await tx.commit(this.client);
      return state;
    }, 8);
  }

  /**
   * Adds an event's fund movements to their months, once: the event's marker and the additions are one
   * transaction, so a redelivery or a replay finds the marker and adds nothing.
   */
  async addFundMovements(eventId: string, movements: readonly FundMovement[], context: WriteContext): Promise<boolean> {
    const byMonth = new Map<string, FundMovement & Record<(typeof FUND_FIELDS)[number], number>>();
    for (const movement of movements) {
      const id = `${movement.fiscalYear}#${movement.programme}#${movement.month}`;
      const sum = byMonth.get(id) ?? { ...movement, appropriatedYen: 0, heldYen: 0, spentYen: 0, releasedYen: 0 };
      for (const field of FUND_FIELDS) sum[field] += movement[field] ?? 0;
      byMonth.set(id, sum);
    }
    if (byMonth.size === 0) return false;
    if (byMonth.size > 99) throw new TransactionTooLarge(`an event moves ${byMonth.size} fund months; at most 99`);
    const tx = new Transaction(this.tableName, context).put(
      { ...appliedKey(eventId), appliedAt: context.now.toISOString() },
      { expression: "attribute_not_exists(pk)", onFailed: () => new AlreadyApplied(eventId) },
    );
    for (const sum of byMonth.values()) {
      tx.update(fundMonthKey(sum.fiscalYear, sum.programme, sum.month), {
        expression:
          "SET fiscalYear = :fy, programme = :programme, #month = :month ADD appropriatedYen :a, heldYen :h, spentYen :s, releasedYen :r",
        names: { "#month": "month" },
        values: {
          ":fy": sum.fiscalYear,
          ":programme": sum.programme,
          ":month": sum.month,
          ":a": sum.appropriatedYen,
          ":h": sum.heldYen,
          ":s": sum.spentYen,
          ":r": sum.releasedYen,
        },
      });
    }
    try {
      await tx.commit(this.client);
      return true;
    } catch (error) {
      if (error instanceof AlreadyApplied) return false;
      throw error;
    }
  }

  /**
   * Writes a whole projection set, as a rebuild from the bus's history makes it (and the benchmark), 25 items a
   * BatchWriteItem; what DynamoDB leaves unprocessed (throttling) is sent again after a growing pause.
   */
  async writeAll(set: ProjectionSet): Promise<number> {
    const items: Item[] = [];
    for (const { slot, state } of set.entities.values()) {
      items.push({ ...keyOf(slot), ...(state as object), rev: 1 });
      for (const copy of copiesOf(slot, state, undefined).put) items.push({ ...copy, ...(state as object) });
    }
    for (const month of set.fundMonths.values())
      items.push({ ...fundMonthKey(month.fiscalYear, month.programme, month.month), ...month });
    for (let start = 0; start < items.length; start += 25) {
      let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`${requests.length} items stayed unprocessed after ${attempt} tries`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const { UnprocessedItems } = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (UnprocessedItems?.[this.tableName] ?? []).flatMap((request) =>
          request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
        );
      }
    }
    return items.length;
  }

  // -- reads ---------------------------------------------------------------------------------------------------

  partners(): Promise<ProjectedPartner[]> {
    return this.all<ProjectedPartner>("PARTNERS");
  }

  agreements(): Promise<ProjectedAgreement[]> {
    return this.all<ProjectedAgreement>("AGREEMENTS");
  }

  programmes(): Promise<ProjectedProgramme[]> {
    return this.all<ProjectedProgramme>("PROGRAMMES");
  }

  async visits(fiscalYears: readonly number[]): Promise<ProjectedVisit[]> {
    return (await Promise.all(fiscalYears.map((fy) => this.all<ProjectedVisit>(`VISITS#${fy}`)))).flat();
  }

  async conferences(fiscalYears: readonly number[]): Promise<ProjectedConference[]> {
    return (await Promise.all(fiscalYears.map((fy) => this.all<ProjectedConference>(`CONFERENCES#${fy}`)))).flat();
  }

  placements(fiscalYear: number): Promise<ProjectedPlacement[]> {
    return this.all<ProjectedPlacement>(`PLACEMENTS#${fiscalYear}`);
  }

  fundMonths(fiscalYear: number): Promise<FundMonth[]> {
    return this.all<FundMonth>(`FUND#${fiscalYear}`);
  }

  async tripPlan(fiscalYear: number): Promise<ProjectedTripPlan | undefined> {
    return this.one<ProjectedTripPlan>(keyOf({ kind: "trip-plan", id: String(fiscalYear) }));
  }

  async failedNotices(fiscalYears: readonly number[]): Promise<ProjectedNotice[]> {
    return (await Promise.all(fiscalYears.map((fy) => this.all<ProjectedNotice>(`FAILED_NOTICES#${fy}`)))).flat();
  }

  async reconciliation(): Promise<ProjectedReconciliation | undefined> {
    return this.one<ProjectedReconciliation>(keyOf({ kind: "reconciliation", id: "latest" }));
  }

  async one<T>(key: Key): Promise<T | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return Item ? stateOf<T>(Item) : undefined;
  }

  private async all<T>(pk: string): Promise<T[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": pk },
    });
    return items.map((item) => stateOf<T>(item));
  }
}

/** The event was added to the fund's months before: a redelivery or a replay. */
class AlreadyApplied extends Error {}

function stateOf<T>(item: Item): T {
  const { pk: _pk, sk: _sk, rev: _rev, ...state } = item;
  return state as T;
}
