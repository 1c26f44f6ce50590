import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { tokyoDate } from "@cdp/contracts";
import { orRefuse, type Page, type Refusal, Refused, type WriteContext, withRetries } from "@cdp/lambda-kit";
import { flagOverdue } from "./domain/gift-declarations.ts";
import {
  changeDisposition,
  DEFAULT_REGISTRATION_THRESHOLD_YEN,
  type Declaration,
  type DeclarationInput,
  type Disposition,
  declareReceipt,
  editGift,
  type Gift,
  type GiftDirection,
  type GiftInput,
  type GiftPatch,
  type PublicGift,
  publicGiftView,
  registerGift,
} from "./domain/gifts.ts";
import {
  cancelHospitality,
  type Hospitality,
  type HospitalityInput,
  type HospitalityPatch,
  recordHospitality,
  updateHospitality,
} from "./domain/hospitality.ts";
import { type HospitalityList, hospitalityListOf } from "./domain/hospitality-list.ts";
import {
  approveOnTheDay,
  editGreeting,
  type Greeting,
  type GreetingEdit,
  type GreetingStatus,
  greetingsToDraft,
  releaseDue,
} from "./domain/national-days.ts";
import type { Stamp } from "./domain/stamp.ts";
import { stampOf } from "./stamps.ts";
import { type DeclarationFilter, GiftStore } from "./store/gift-store.ts";
import { GreetingStore } from "./store/greeting-store.ts";
import { HospitalityStore } from "./store/hospitality-store.ts";
import { MissionStore } from "./store/mission-store.ts";
import { monthPeriodOf, type PeriodQuery, yearPeriodOf } from "./store/partitioned-lists.ts";

/** `GIFT_REGISTRATION_THRESHOLD_YEN`: whole yen; unset means the domain's default. A bad value stops the function. */
export function thresholdFrom(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_REGISTRATION_THRESHOLD_YEN;
  const yen = Number(value);
  if (!Number.isSafeInteger(yen) || yen < 0)
    throw new Error(`GIFT_REGISTRATION_THRESHOLD_YEN is not whole yen: ${value}`);
  return yen;
}

/** What one run of the national-days schedule did: greeting ids, and why a greeting was left (no personal data). */
export interface NationalDaysRun {
  readonly released: string[];
  readonly drafted: string[];
  readonly skipped: { readonly greetingId?: string; readonly missionId?: string; readonly reason: string }[];
}

const reasonOf = (refusal: Refusal) =>
  refusal.kind === "rule-broken" ? refusal.rule : refusal.kind === "conflict" ? refusal.currentState : refusal.kind;

/**
 * The protocol office's records: hospitality, the gift register and national-day greetings. Each use case loads
 * through a store, decides in the domain (a refusal is thrown as `Refused` for the kit to map) and writes the
 * decision in one transaction; a write that lost a race is tried again from a fresh read.
 */
/** An open period of hospitality: the twelve months up to this one (what the office looks back on). */
const HOSPITALITY_OPEN = { months: 12, from: "behind" } as const;

export class ProtocolRecords {
  readonly hospitality: HospitalityStore;
  readonly gifts: GiftStore;
  readonly greetings: GreetingStore;
  readonly missions: MissionStore;

  constructor(
    client: DynamoDBDocumentClient,
    tableName: string,
    readonly thresholdYen = DEFAULT_REGISTRATION_THRESHOLD_YEN,
  ) {
    this.hospitality = new HospitalityStore(client, tableName);
    this.gifts = new GiftStore(client, tableName);
    this.greetings = new GreetingStore(client, tableName);
    this.missions = new MissionStore(client, tableName);
  }

  // Hospitality ------------------------------------------------------------------------------------------------

  recordHospitality(input: HospitalityInput, context: WriteContext): Promise<Hospitality> {
    return this.hospitality.commit(orRefuse(recordHospitality(input, stampOf(context))), context);
  }

  updateHospitality(
    id: string,
    patch: HospitalityPatch,
    expectedVersion: number | undefined,
    context: WriteContext,
  ): Promise<Hospitality> {
    return this.changeHospitality(id, context, (record, stamp) =>
      updateHospitality(record, { patch, expectedVersion }, stamp),
    );
  }

  cancelHospitality(
    id: string,
    reason: string,
    expectedVersion: number | undefined,
    context: WriteContext,
  ): Promise<Hospitality> {
    return this.changeHospitality(id, context, (record, stamp) =>
      cancelHospitality(record, { reason, expectedVersion }, stamp),
    );
  }

  getHospitality(id: string): Promise<Hospitality | undefined> {
    return this.hospitality.get(id);
  }

  listHospitality(query: PeriodQuery, limit: number, cursor?: string, now = new Date()): Promise<Page<Hospitality>> {
    return this.hospitality.list(monthPeriodOf(query, tokyoDate(now), HOSPITALITY_OPEN), limit, cursor);
  }

  /** The month's public list of the governor's hospitality (`toPublicJson` / `toPublicCsv` publish it). */
  async hospitalitySpending(month: string): Promise<HospitalityList> {
    return hospitalityListOf(await this.hospitality.ofMonth(month), month);
  }

  private changeHospitality(
    id: string,
    context: WriteContext,
    decide: (record: Hospitality | undefined, stamp: Stamp) => ReturnType<typeof updateHospitality>,
  ): Promise<Hospitality> {
    return withRetries(async () => {
      const record = await this.hospitality.get(id, true);
      return this.hospitality.commit(orRefuse(decide(record, stampOf(context))), context);
    });
  }

  // The gift register --------------------------------------------------------------------------------------------

  declareGift(input: DeclarationInput, context: WriteContext): Promise<Declaration> {
    return this.gifts.commitDeclaration(orRefuse(declareReceipt(input, stampOf(context))), context);
  }

  listDeclarations(filter: DeclarationFilter, limit: number, cursor?: string): Promise<Page<Declaration>> {
    return this.gifts.listDeclarations(filter, limit, cursor);
  }

  /** Registers a gift; a declared receipt's declaration is closed in the same transaction, once. */
  registerGift(input: GiftInput, context: WriteContext): Promise<Gift> {
    return withRetries(async () => {
      const declaration = input.declarationId ? await this.gifts.getDeclaration(input.declarationId, true) : undefined;
      const decision = orRefuse(registerGift(input, declaration, stampOf(context), this.thresholdYen));
      return this.gifts.commitGift(decision, context);
    });
  }

  /** The register as anyone may read it: no private giver's name. */
  async listGifts(
    query: PeriodQuery & { readonly direction?: GiftDirection | undefined },
    limit: number,
    cursor?: string,
    now = new Date(),
  ): Promise<Page<PublicGift>> {
    const page = await this.gifts.listGifts(yearPeriodOf(query, tokyoDate(now)), query.direction, limit, cursor);
    return { items: page.items.map(publicGiftView), nextCursor: page.nextCursor };
  }

  async getGift(id: string): Promise<PublicGift | undefined> {
    const gift = await this.gifts.getGift(id);
    return gift && publicGiftView(gift);
  }

  /** The gift as registered, a private giver's name included: the office's only. */
  getGiftRecord(id: string): Promise<Gift | undefined> {
    return this.gifts.getGift(id);
  }

  editGift(id: string, patch: GiftPatch, expectedVersion: number | undefined, context: WriteContext): Promise<Gift> {
    return this.changeGift(id, context, (gift, stamp) => editGift(gift, { patch, expectedVersion }, stamp));
  }

  changeGiftDisposition(
    id: string,
    disposition: Disposition,
    expectedVersion: number | undefined,
    context: WriteContext,
  ): Promise<Gift> {
    return this.changeGift(id, context, (gift, stamp) =>
      changeDisposition(gift, { disposition, expectedVersion }, stamp),
    );
  }

  /**
   * The daily schedule: marks the pending declarations overdue today (over the threshold, past their 30 days),
   * each once, so `?overdue=true` lists them. Each is read again before it is marked: it may be registered.
   */
  async flagOverdueGifts(context: WriteContext): Promise<{ flagged: string[] }> {
    const candidates = flagOverdue(await this.gifts.pendingDeclarations(), stampOf(context), this.thresholdYen);
    const flagged: string[] = [];
    for (const { state } of candidates) {
      const done = await withRetries(async () => {
        const current = await this.gifts.getDeclaration(state.id, true);
        const [decision] = flagOverdue(current ? [current] : [], stampOf(context), this.thresholdYen);
        return decision ? this.gifts.commitDeclaration(decision, context) : undefined;
      });
      if (done) flagged.push(done.id);
    }
    return { flagged };
  }

  private changeGift(
    id: string,
    context: WriteContext,
    decide: (gift: Gift | undefined, stamp: Stamp) => ReturnType<typeof editGift>,
  ): Promise<Gift> {
    return withRetries(async () => {
      const gift = await this.gifts.getGift(id, true);
      return this.gifts.commitGift(orRefuse(decide(gift, stampOf(context))), context);
    });
  }

  // National-day greetings ---------------------------------------------------------------------------------------

  listGreetings(
    query: PeriodQuery & { readonly status?: GreetingStatus | undefined },
    limit: number,
    cursor?: string,
    now = new Date(),
  ): Promise<Page<Greeting>> {
    return this.greetings.list(yearPeriodOf(query, tokyoDate(now)), query.status, limit, cursor);
  }

  editGreeting(
    id: string,
    edit: GreetingEdit,
    expectedVersion: number | undefined,
    context: WriteContext,
  ): Promise<Greeting> {
    return withRetries(async () => {
      const greeting = await this.greetings.get(id, true);
      const decision = orRefuse(editGreeting(greeting, { ...edit, expectedVersion }, stampOf(context)));
      return this.greetings.commit(decision, context);
    });
  }

  /** Approves the text; on the national day itself the greeting is released at once, in the same write. */
  approveGreeting(id: string, expectedVersion: number | undefined, context: WriteContext): Promise<Greeting> {
    return withRetries(async () => {
      const stamp = stampOf(context);
      const greeting = await this.greetings.get(id, true);
      const mission = greeting?.nationalDay === stamp.today ? await this.missions.get(greeting.missionId) : undefined;
      const decision = orRefuse(approveOnTheDay(greeting, mission, context.actor, expectedVersion, stamp));
      return this.greetings.commit(decision, context);
    });
  }

  /**
   * The daily schedule: releases today's greetings (approved, or unreviewed as drafted) to missions that still
   * have contacts, then drafts tomorrow's. Run again the same day it releases nothing and drafts nothing.
   */
  async runNationalDays(context: WriteContext): Promise<NationalDaysRun> {
    const today = tokyoDate(context.now);
    const run: NationalDaysRun = { released: [], drafted: [], skipped: [] };
    for (const due of await this.greetings.onDay(today)) {
      if (due.status === "released") continue;
      const refusal = await withRetries(async () => {
        const greeting = await this.greetings.get(due.greetingId, true);
        const mission = greeting && (await this.missions.get(greeting.missionId));
        const outcome = releaseDue(greeting, mission, today, stampOf(context));
        if (!outcome.ok) return outcome.refusal;
        await this.greetings.commit(outcome.decision, context);
        return undefined;
      });
      if (refusal) run.skipped.push({ greetingId: due.greetingId, reason: reasonOf(refusal) });
      else run.released.push(due.greetingId);
    }
    for (const outcome of greetingsToDraft(await this.missions.all(), today)) {
      if (!outcome.ok) {
        const missionId = outcome.refusal.kind === "rule-broken" ? outcome.refusal.facts?.missionId : undefined;
        run.skipped.push({ missionId: String(missionId), reason: reasonOf(outcome.refusal) });
        continue;
      }
      try {
        run.drafted.push((await this.greetings.commit(outcome.decision, context)).greetingId);
      } catch (error) {
        // Drafted by an earlier run: the year's greeting stays as it is (perhaps edited or approved meanwhile).
        if (!(error instanceof Refused && error.refusal.kind === "conflict")) throw error;
      }
    }
    return run;
  }
}
