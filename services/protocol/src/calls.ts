import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { tokyoDate, VisitApproved, VisitCancelled, VisitConfirmed } from "@cdp/contracts";
import { orRefuse, type Page, type WriteContext, withRetries } from "@cdp/lambda-kit";
import {
  type Call,
  type CallDecided,
  type CallInput,
  type CancelInput,
  type CompleteInput,
  cancelCall,
  completeCall,
  type GovernorTime,
  type PublicCall,
  publicView,
  type RescheduleInput,
  rescheduleCall,
  scheduleCall,
  type Visitor,
} from "./domain/calls.ts";
import {
  type AbroadCalendar,
  applyVisitApproved,
  applyVisitCancelled,
  applyVisitConfirmed,
  daysTouched,
  type VisitFacts,
} from "./domain/governor-time.ts";
import {
  type Mission,
  type MissionInput,
  type MissionPatch,
  registerMission,
  updateMission,
} from "./domain/missions.ts";
import type { Stamp } from "./domain/stamp.ts";
import { stampOf } from "./stamps.ts";
import { type CallFilter, CallStore } from "./store/call-store.ts";
import { GovernorTimeStore, governorTimeOf } from "./store/governor-time-store.ts";
import { MissionStore } from "./store/mission-store.ts";
import { monthPeriodOf } from "./store/partitioned-lists.ts";

/** An open period of calls: this month and the next two (what the office plans for). */
const CALLS_OPEN = { months: 3, from: "ahead" } as const;

export interface CallListQuery extends CallFilter {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

type StepCommand<Body> = Body & { readonly expectedVersion?: number | undefined };

/** What each visit event does to the governor's days abroad, by its detail-type. */
const VISIT_EFFECTS: Readonly<Record<string, (calendar: AbroadCalendar, visit: VisitFacts) => AbroadCalendar>> = {
  [VisitApproved.detailType]: applyVisitApproved,
  [VisitConfirmed.detailType]: applyVisitConfirmed,
  [VisitCancelled.detailType]: applyVisitCancelled,
};

/**
 * The use cases of missions, courtesy calls and the governor's days abroad, each the same three steps: load
 * through a store, decide in the domain (a refusal is thrown as `Refused` for the kit to map), write the decision
 * in one transaction. A write that lost a race is tried again from a fresh read, which sees the winner: of two
 * overlapping calls on the governor, the second is then refused naming the first.
 */
export class CourtesyCalls {
  readonly missions: MissionStore;
  readonly calls: CallStore;
  readonly governor: GovernorTimeStore;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.missions = new MissionStore(client, tableName);
    this.calls = new CallStore(client, tableName);
    this.governor = new GovernorTimeStore(client, tableName);
  }

  registerMission(input: MissionInput, context: WriteContext): Promise<Mission> {
    return withRetries(async () => {
      const existing = await this.missions.get(input.id);
      return this.missions.commit(orRefuse(registerMission(existing ?? null, input, stampOf(context))), context);
    });
  }

  /** Applies the patch on the version sent in If-Match, if any; without one, on the current version. */
  updateMission(
    id: string,
    patch: MissionPatch,
    expectedVersion: number | undefined,
    context: WriteContext,
  ): Promise<Mission> {
    return withRetries(async () => {
      const current = await this.missions.get(id);
      const decision = orRefuse(updateMission(current ?? null, patch, expectedVersion, stampOf(context)));
      return this.missions.commit(decision, context);
    });
  }

  /** A new call, with its visitors: what the office just sent is answered back whole. */
  schedule(input: CallInput, context: WriteContext): Promise<Call> {
    return withRetries(async () => {
      const [mission, read] = await Promise.all([
        input.missionId === undefined ? undefined : this.missions.get(input.missionId),
        this.governor.read(input.host === "governor" ? daysTouched(input) : []),
      ]);
      const decision = orRefuse(scheduleCall(input, mission ?? null, governorTimeOf(read), stampOf(context)));
      return this.calls.commit(decision, read, context);
    });
  }

  /** A new time, checked against the governor's time again; the days no longer touched are given back. */
  reschedule(id: string, command: StepCommand<RescheduleInput>, context: WriteContext): Promise<PublicCall> {
    const moved = (call: PublicCall) => ({
      startsAt: command.startsAt,
      durationMinutes: command.durationMinutes ?? call.durationMinutes,
    });
    return this.step(
      id,
      context,
      (call) => [...daysTouched(moved(call)), ...daysTouched(call)],
      (call, time, stamp) => rescheduleCall(call, command, time, stamp),
    );
  }

  /** The call took place (not before its start): published for the registry, without its visitors. */
  complete(id: string, command: StepCommand<CompleteInput>, context: WriteContext): Promise<PublicCall> {
    return this.step(
      id,
      context,
      () => [],
      (call, _time, stamp) => completeCall(call, command, stamp),
    );
  }

  /** Called off, with the reason: the governor's time it held is freed. */
  cancel(id: string, command: StepCommand<CancelInput>, context: WriteContext): Promise<PublicCall> {
    return this.step(
      id,
      context,
      (call) => daysTouched(call),
      (call, _time, stamp) => cancelCall(call, command, stamp),
    );
  }

  /** A page of the calls starting in the period (Tokyo dates); an open period is this month and the next two. */
  async list(query: CallListQuery, limit: number, cursor: string | undefined, now: Date): Promise<Page<PublicCall>> {
    const { from, to, ...filter } = query;
    return this.calls.list(monthPeriodOf({ from, to }, tokyoDate(now), CALLS_OPEN), filter, limit, cursor);
  }

  /** Who called: the only read of the visitors (personal data). */
  visitors(id: string): Promise<Visitor[] | undefined> {
    return this.calls.visitors(id);
  }

  /**
   * A visit event changes the governor's days abroad when the governor leads an outbound visit; a repeat changes
   * nothing and writes nothing. Written on the version read: a concurrent event, or a call on the governor
   * checking the same version, makes one of them read again.
   */
  onVisitEvent(detailType: string, visit: VisitFacts, context: WriteContext): Promise<AbroadCalendar> {
    const apply = VISIT_EFFECTS[detailType];
    if (!apply) throw new Error(`${detailType} does not bear on the governor's days abroad`);
    return withRetries(async () => {
      const current = await this.governor.abroad();
      const next = apply(current.calendar, visit);
      if (JSON.stringify(next) === JSON.stringify(current.calendar)) return current.calendar;
      const action = `governor-abroad.${detailType.replace(/\.v\d+$/, "")}`;
      await this.governor.commitAbroad(next, current.version, action, context);
      return next;
    });
  }

  /**
   * A life-cycle step on a call: load it (strongly) and the governor's days the step may touch, decide, commit.
   * The steps never read the visitors (they never change them): the call decided on carries none, and the step
   * answers the public call.
   */
  private step(
    id: string,
    context: WriteContext,
    daysToRead: (call: PublicCall) => string[],
    decide: (call: Call | null, time: GovernorTime, stamp: Stamp) => CallDecided,
  ): Promise<PublicCall> {
    return withRetries(async () => {
      const found = await this.calls.get(id, true);
      const read = await this.governor.read(found?.host === "governor" ? daysToRead(found) : []);
      const call: Call | null = found ? { ...found, visitors: [] } : null;
      const decision = orRefuse(decide(call, governorTimeOf(read), stampOf(context)));
      return publicView(await this.calls.commit(decision, read, context));
    });
  }
}
