import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { type AuditEntry, batchGetAll, Transaction, VersionConflict, type WriteContext } from "@cdp/lambda-kit";
import type { CallDecision, GovernorTime } from "../domain/calls.ts";
import { type AbroadCalendar, type CallSlot, NO_TIME_ABROAD } from "../domain/governor-time.ts";
import { ABROAD_KEY, governorDayKey } from "./keys.ts";

/**
 * The governor's time on DynamoDB: one item per Tokyo day with the governor's calls of that day, and one item
 * with the days abroad. Every item carries a version; a decision is written on the versions it was made on, so
 * of two decisions made on the same read only one is written and the other is decided again from a fresh read.
 */

/** A day's item as read: the governor's calls that touch that day, and its version (null: never written). */
export interface GovernorDay {
  readonly date: string;
  readonly calls: readonly CallSlot[];
  readonly version: number | null;
}

/** The days abroad as read, with the item's version (null: no visit event has arrived yet). */
export interface AbroadRead {
  readonly calendar: AbroadCalendar;
  readonly version: number | null;
}

/** What a decision on the governor's time was made on: the days it touches and, for a call on the governor, the days abroad. */
export interface GovernorTimeRead {
  readonly days: readonly GovernorDay[];
  readonly abroad: AbroadRead | null;
}

export const NOTHING_READ: GovernorTimeRead = { days: [], abroad: null };

/** What the domain decides on: each call once (a call crossing midnight is on two days), and the spells abroad. */
export function governorTimeOf(read: GovernorTimeRead): GovernorTime {
  const calls = new Map(read.days.flatMap((day) => day.calls.map((call) => [call.id, call] as const)));
  return { callsOnTheseDays: [...calls.values()], abroadSpells: read.abroad?.calendar.spells ?? [] };
}

/** The condition of a write on the version read: an item created only if still absent, replaced only if unchanged. */
function onVersion(expected: number | null, what: string) {
  return expected === null
    ? { expression: "attribute_not_exists(pk)", onFailed: () => new VersionConflict(`${what} was written meanwhile`) }
    : {
        expression: "version = :expected",
        values: { ":expected": expected },
        onFailed: () => new VersionConflict(`${what} changed since version ${expected}`),
      };
}

const slotOf = (call: CallSlot): CallSlot => ({
  id: call.id,
  host: call.host,
  startsAt: call.startsAt,
  durationMinutes: call.durationMinutes,
  status: call.status,
});

/**
 * Adds to `tx` the governor's days a call decision takes and gives back, each on the version read, and, when it
 * takes any, a check that the days abroad are still as read: a visit approved meanwhile makes the write fail and
 * the call is decided again, seeing the trip.
 */
export function lockGovernorTime(tx: Transaction, decision: CallDecision, read: GovernorTimeRead): void {
  const call = decision.state;
  const dayRead = (date: string): GovernorDay => {
    const day = read.days.find((candidate) => candidate.date === date);
    if (!day) throw new Error(`the governor's day ${date} was not read before deciding on call ${call.id}`);
    return day;
  };
  const writeDay = (day: GovernorDay, calls: readonly CallSlot[]) =>
    tx.put(
      { ...governorDayKey(day.date), date: day.date, calls, version: (day.version ?? 0) + 1 },
      onVersion(day.version, `the governor's day ${day.date}`),
    );
  for (const date of new Set(decision.daysToTake)) {
    const day = dayRead(date);
    writeDay(day, [...day.calls.filter((other) => other.id !== call.id), slotOf(call)]);
  }
  for (const date of new Set(decision.daysToRelease)) {
    const day = dayRead(date);
    writeDay(
      day,
      day.calls.filter((other) => other.id !== call.id),
    );
  }
  if (decision.daysToTake.length === 0) return;
  const abroad = read.abroad;
  if (!abroad) throw new Error(`the governor's days abroad were not read before deciding on call ${call.id}`);
  // A condition on an item this transaction does not write (ConditionCheck): the days abroad stay as they are.
  tx.check(ABROAD_KEY, onVersion(abroad.version, "the governor's days abroad"));
}

export class GovernorTimeStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** The days' items and, when there are any days, the days abroad: strongly consistent, as the lock needs. */
  async read(dates: readonly string[]): Promise<GovernorTimeRead> {
    if (dates.length === 0) return NOTHING_READ;
    const unique = [...new Set(dates)];
    const items = await batchGetAll(this.client, this.tableName, [...unique.map(governorDayKey), ABROAD_KEY], {
      consistent: true,
    });
    const byPk = new Map(items.map((item) => [String(item.pk), item]));
    const days = unique.map((date): GovernorDay => {
      const item = byPk.get(governorDayKey(date).pk);
      return item
        ? { date, calls: item.calls as CallSlot[], version: Number(item.version) }
        : { date, calls: [], version: null };
    });
    return { days, abroad: abroadOf(byPk.get(ABROAD_KEY.pk)) };
  }

  async abroad(): Promise<AbroadRead> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: ABROAD_KEY, ConsistentRead: true }),
    );
    return abroadOf(Item);
  }

  /** Writes the days abroad on the version read, with the audit entry (who changed them, from which version). */
  async commitAbroad(
    calendar: AbroadCalendar,
    expectedVersion: number | null,
    action: string,
    context: WriteContext,
  ): Promise<void> {
    const version = (expectedVersion ?? 0) + 1;
    const audit: AuditEntry = {
      entity: "governor-abroad",
      action,
      beforeVersion: expectedVersion,
      afterVersion: version,
    };
    await new Transaction(this.tableName, context)
      .put(
        { ...ABROAD_KEY, spells: calendar.spells, cancelledVisitIds: calendar.cancelledVisitIds, version },
        onVersion(expectedVersion, "the governor's days abroad"),
      )
      .audit(audit)
      .commit(this.client);
  }
}

function abroadOf(item: Record<string, unknown> | undefined): AbroadRead {
  if (!item) return { calendar: NO_TIME_ABROAD, version: null };
  return {
    calendar: {
      spells: item.spells as AbroadCalendar["spells"],
      cancelledVisitIds: item.cancelledVisitIds as AbroadCalendar["cancelledVisitIds"],
    },
    version: Number(item.version),
  };
}
