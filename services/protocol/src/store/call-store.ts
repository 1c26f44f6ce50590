import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { type Page, Transaction, VersionConflict, type WriteContext, withoutKeys } from "@cdp/lambda-kit";
import {
  type Call,
  type CallDecision,
  type CallStatus,
  type PublicCall,
  publicView,
  type Visitor,
} from "../domain/calls.ts";
import { type GovernorTimeRead, lockGovernorTime } from "./governor-time-store.ts";
import { callKey, callsIndex, callVisitorsKey } from "./keys.ts";
import { monthsOf, type Period, pageAcross } from "./partitioned-lists.ts";

export interface CallFilter {
  readonly host?: Call["host"] | undefined;
  readonly status?: CallStatus | undefined;
  readonly missionId?: string | undefined;
  readonly partnerId?: string | undefined;
}

/** A call's month partition: its start is written in Tokyo time, so its first seven characters are its Tokyo month. */
const monthOf = (call: Pick<Call, "startsAt">) => call.startsAt.slice(0, 7);

/**
 * Courtesy calls on DynamoDB. The public part of a call is one item, listed by the Tokyo month of its start; its
 * visitors (personal data) are another item under the same key, written once when the call is scheduled and read
 * by `visitors` alone. A decision is written in one transaction: the call on the version read, the governor's days
 * it takes and gives back (`lockGovernorTime`), the audit entry and the events.
 */
export class CallStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** The call without its visitors; strongly consistent when a step decides on it. */
  async get(id: string, consistent = false): Promise<PublicCall | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: callKey(id), ConsistentRead: consistent }),
    );
    return Item ? withoutKeys<PublicCall>(Item) : undefined;
  }

  /** Who called; undefined when there is no such call. */
  async visitors(id: string): Promise<Visitor[] | undefined> {
    const [call, { Item }] = await Promise.all([
      this.get(id),
      this.client.send(new GetCommand({ TableName: this.tableName, Key: callVisitorsKey(id) })),
    ]);
    if (!call) return undefined;
    return (Item?.visitors ?? []) as Visitor[];
  }

  /**
   * A page of the calls starting in the period, by start, month partition after month partition (`pageAcross`: its
   * cursor says the month to go on in; a cursor of another period is refused).
   */
  list(period: Period, filter: CallFilter, limit: number, cursor?: string): Promise<Page<PublicCall>> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const equals = { host: filter.host, status: filter.status, missionId: filter.missionId };
    for (const [name, value] of Object.entries(equals)) {
      if (value === undefined) continue;
      conditions.push(`#${name} = :${name}`);
      names[`#${name}`] = name;
      values[`:${name}`] = value;
    }
    if (filter.partnerId !== undefined) {
      conditions.push("contains(partnerIds, :partnerId)");
      values[":partnerId"] = filter.partnerId;
    }
    return pageAcross(
      this.client,
      {
        tableName: this.tableName,
        partitions: monthsOf(period).map(callsIndex),
        period,
        ...(conditions.length > 0 && {
          filter: { expression: conditions.join(" AND "), ...(Object.keys(names).length > 0 && { names }), values },
        }),
      },
      limit,
      cursor,
      (item) => withoutKeys<PublicCall>(item),
    );
  }

  /** Writes a decision in one transaction; returns the call as decided. */
  async commit(decision: CallDecision, read: GovernorTimeRead, context: WriteContext): Promise<Call> {
    await this.transactionOf(decision, read, context).commit(this.client);
    return decision.state;
  }

  /** The transaction of a decision, unsent: what a test measures against DynamoDB's limits. */
  transactionOf(decision: CallDecision, read: GovernorTimeRead, context: WriteContext): Transaction {
    const call = publicView(decision.state);
    const tx = new Transaction(this.tableName, context);
    tx.put(
      { ...callKey(call.id), gsi1pk: callsIndex(monthOf(call)), gsi1sk: `${call.startsAt}#${call.id}`, ...call },
      decision.expectedVersion === null
        ? {
            expression: "attribute_not_exists(pk)",
            onFailed: () => new VersionConflict(`call ${call.id} exists already`),
          }
        : {
            expression: "version = :expected",
            values: { ":expected": decision.expectedVersion },
            onFailed: () => new VersionConflict(`call ${call.id} changed since version ${decision.expectedVersion}`),
          },
    );
    // The visitors never change once the call is scheduled: no later step reads or writes them.
    if (decision.expectedVersion === null) {
      tx.put({ ...callVisitorsKey(call.id), visitors: decision.state.visitors });
    }
    lockGovernorTime(tx, decision, read);
    return tx.audit(decision.audit).publishAll(decision.events);
  }
}
