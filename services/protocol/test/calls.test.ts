import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import {
  createDocumentClient,
  ITEM_MAX_BYTES,
  itemSize,
  orRefuse,
  problemOf,
  Refused,
  type WriteContext,
} from "@cdp/lambda-kit";
import { problemOfRefusal } from "@cdp/lambda-kit/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { CourtesyCalls } from "../src/calls.ts";
import { aCallInput, aMissionInput, aVisit, VISITORS, visitorValues } from "../src/domain/call-builders.ts";
import { CALL_LIMITS, CallInput, scheduleCall } from "../src/domain/calls.ts";
import { daysTouched } from "../src/domain/governor-time.ts";
import { table } from "../src/manifest.ts";
import { stampOf } from "../src/stamps.ts";
import { governorTimeOf } from "../src/store/governor-time-store.ts";

/**
 * Courtesy calls and the governor's time on DynamoDB Local, through their use cases: the governor's calls never
 * overlap nor fall on days abroad, also when two are scheduled at once; the visitors stay in their own item.
 * Each test takes days of its own: the governor's calendar is shared by the whole file.
 */

const tableName = `protocol-calls-${randomUUID()}`;
const raw = new DynamoDBClient({});
const documents = createDocumentClient();
const office = new CourtesyCalls(documents, tableName);
const context: WriteContext = { actor: "protocol-1", correlationId: "calls", now: new Date("2027-02-01T01:00:00Z") };
const at = (date: string, time: string) => `${date}T${time}:00+09:00`;
const contextAt = (instant: string): WriteContext => ({ ...context, now: new Date(instant) });

const call = (date: string, time: string, overrides: Partial<CallInput> = {}) =>
  aCallInput({ startsAt: at(date, time), ...overrides });
const schedule = (date: string, time: string, overrides: Partial<CallInput> = {}) =>
  office.schedule(call(date, time, overrides), context);

/** Every item of the table, as plain objects. */
async function items(): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: tableName }));
  return Items;
}

async function outboxOf(callId: string): Promise<{ detailType: string; detail: Record<string, unknown> }[]> {
  return (await items())
    .filter((item) => String(item.pk).startsWith("OUTBOX#") && String(item.detail).includes(callId))
    .map((item) => ({ detailType: String(item.detailType), detail: JSON.parse(String(item.detail)) }));
}

const callsOn = async (date: string) => (await office.governor.read([date])).days[0]?.calls.map((slot) => slot.id);

const approved = (visitId: string, startDate: string, endDate: string) => aVisit({ visitId, startDate, endDate });

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
  await office.registerMission(aMissionInput(), context);
});

describe("courtesy calls on DynamoDB Local", () => {
  it("schedules a call on the governor; the visitors are kept apart, read by the visitors use case alone", async () => {
    const scheduled = await schedule("2027-03-01", "10:00");
    expect(scheduled).toMatchObject({ status: "scheduled", version: 1, partnerIds: ["new-south-wales", "brisbane"] });
    expect(scheduled.visitors).toEqual(VISITORS);
    const read = await office.calls.get(scheduled.id);
    expect(read).toMatchObject({ id: scheduled.id, startsAt: "2027-03-01T10:00:00+09:00" });
    expect(read).not.toHaveProperty("visitors");
    expect(await office.visitors(scheduled.id)).toEqual(VISITORS);
    expect(await office.visitors("no-such-call")).toBeUndefined();
    const moved = await office.reschedule(scheduled.id, { startsAt: at("2027-03-01", "11:00") }, context);
    expect(moved).not.toHaveProperty("visitors");

    const elsewhere = (await items()).filter((item) => item.sk !== "VISITORS");
    const text = JSON.stringify(elsewhere);
    for (const value of visitorValues()) expect(text).not.toContain(value);
    expect(await callsOn("2027-03-01")).toEqual([scheduled.id]);
  });

  it("refuses a call on the governor overlapping another, naming it; one touching it, or on a vice-governor, is taken", async () => {
    const first = await schedule("2027-03-02", "10:00");
    expect(await problemOfRefusal(schedule("2027-03-02", "10:15"))).toMatchObject({
      status: 409,
      extensions: { rule: "governor-calendar", heldBy: { kind: "call", callId: first.id } },
    });
    await schedule("2027-03-02", "10:30");
    await schedule("2027-03-02", "10:15", { host: "vice-governor" });
    expect(await callsOn("2027-03-02")).toHaveLength(2);
  });

  it("gives the governor's time to exactly one of two overlapping calls scheduled at once", async () => {
    const outcomes = await Promise.allSettled([schedule("2027-03-03", "10:00"), schedule("2027-03-03", "10:10")]);
    const won = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
    expect(won).toHaveLength(1);
    const lost = outcomes.find((outcome) => outcome.status === "rejected");
    expect(
      lost?.status === "rejected" && lost.reason instanceof Refused && problemOf(lost.reason.refusal),
    ).toMatchObject({
      status: 409,
      extensions: { rule: "governor-calendar", heldBy: { callId: won[0]?.id } },
    });
    expect(await callsOn("2027-03-03")).toEqual([won[0]?.id]);
  });

  it("refuses a call on a day the governor is abroad, once the approved visit is learnt, and takes one the day after", async () => {
    await office.onVisitEvent("VisitApproved.v1", approved("v-paris", "2027-04-05", "2027-04-09"), context);
    expect(await problemOfRefusal(schedule("2027-04-09", "10:00"))).toMatchObject({
      status: 409,
      extensions: { rule: "governor-calendar", heldBy: { kind: "abroad", visitId: "v-paris" } },
    });
    // From 23:30 the evening before, into the first day abroad.
    expect(await problemOfRefusal(schedule("2027-04-04", "23:30", { durationMinutes: 60 }))).toMatchObject({
      status: 409,
      extensions: { heldBy: { kind: "abroad" } },
    });
    await schedule("2027-04-10", "10:00");
    // A visit a deputy leads takes none of the governor's days.
    const deputy = approved("v-deputy", "2027-04-11", "2027-04-12");
    await office.onVisitEvent(
      "VisitApproved.v1",
      { ...deputy, delegationHead: { ...deputy.delegationHead, level: "deputy" } },
      context,
    );
    await schedule("2027-04-11", "10:00");
  });

  it("leaves the days free when a visit's cancellation arrives before its approval", async () => {
    const trip = approved("v-rome", "2027-04-20", "2027-04-22");
    await office.onVisitEvent("VisitCancelled.v1", trip, context);
    const calendar = await office.onVisitEvent("VisitApproved.v1", trip, context);
    expect(calendar.spells.map((spell) => spell.visitId)).not.toContain("v-rome");
    expect(calendar.cancelledVisitIds).toContain("v-rome");
    await schedule("2027-04-21", "10:00");
  });

  it("gives back the days a rescheduled call leaves, on the version read", async () => {
    const moving = await schedule("2027-05-03", "10:00");
    expect(
      await problemOfRefusal(
        office.reschedule(moving.id, { startsAt: at("2027-05-04", "10:00"), expectedVersion: 2 }, context),
      ),
    ).toMatchObject({ status: 412, extensions: { currentVersion: 1 } });
    const moved = await office.reschedule(
      moving.id,
      { startsAt: at("2027-05-04", "10:00"), expectedVersion: 1 },
      context,
    );
    expect(moved).toMatchObject({ version: 2, startsAt: "2027-05-04T10:00:00+09:00" });
    expect(await callsOn("2027-05-03")).toEqual([]);
    await schedule("2027-05-03", "10:00");
    expect(await problemOfRefusal(schedule("2027-05-04", "10:15"))).toMatchObject({
      extensions: { heldBy: { callId: moving.id } },
    });
  });

  it("completes a call only from its start, and publishes it without its visitors", async () => {
    const scheduled = await schedule("2027-05-10", "10:00");
    expect(await problemOfRefusal(office.complete(scheduled.id, {}, context))).toMatchObject({
      status: 409,
      extensions: { rule: "not-before-start", startsAt: "2027-05-10T10:00:00+09:00" },
    });
    const summary = { ja: "観光分野での協力", en: "Cooperation on tourism" };
    const afterwards = contextAt("2027-05-10T02:00:00Z");
    const completed = await office.complete(scheduled.id, { publicSummary: summary }, afterwards);
    expect(completed).toMatchObject({ status: "completed", version: 2, publicSummary: summary });
    expect(await problemOfRefusal(office.complete(scheduled.id, {}, afterwards))).toMatchObject({
      status: 409,
      extensions: { currentStatus: "completed" },
    });

    const events = await outboxOf(scheduled.id);
    expect(events.map((e) => e.detailType).sort()).toEqual(["CourtesyCallCompleted.v1", "CourtesyCallScheduled.v1"]);
    expect(events.find((e) => e.detailType === "CourtesyCallCompleted.v1")?.detail).toMatchObject({
      callId: scheduled.id,
      missionId: "embassy-au",
      partnerIds: ["new-south-wales", "brisbane"],
      date: "2027-05-10",
      publicSummary: summary,
    });
    const published = JSON.stringify(events);
    for (const value of visitorValues()) expect(published).not.toContain(value);
  });

  it("frees the time of a cancelled call, and publishes the reason", async () => {
    const cancelled = await schedule("2027-05-12", "14:00");
    const reason = "The ambassador was recalled for consultations";
    expect(await office.cancel(cancelled.id, { reason }, context)).toMatchObject({ status: "cancelled" });
    const next = await schedule("2027-05-12", "14:00");
    expect(await callsOn("2027-05-12")).toEqual([next.id]);
    expect(await problemOfRefusal(office.cancel(cancelled.id, { reason }, context))).toMatchObject({ status: 409 });
    const events = await outboxOf(cancelled.id);
    expect(events.find((e) => e.detailType === "CourtesyCallCancelled.v1")?.detail).toMatchObject({ reason });
  });

  it("refuses steps on a call that does not exist", async () => {
    expect(await problemOfRefusal(office.cancel("no-such-call", { reason: "x" }, context))).toMatchObject({
      status: 404,
    });
  });

  it("lists the calls starting in a period, month after month a page at a time, by host, status, mission or partner", async () => {
    const january = await schedule("2029-01-31", "16:00");
    const february = await schedule("2029-02-01", "09:00", { missionId: undefined, partnerIds: ["seoul"] });
    const march = await schedule("2029-03-15", "10:00", { host: "vice-governor" });
    const may = await schedule("2029-05-01", "10:00");
    const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);
    const period = { from: "2029-01-01", to: "2029-03-31" };
    const first = await office.list(period, 2, undefined, context.now);
    expect(ids(first)).toEqual([january.id, february.id]);
    expect(first.items[0]).not.toHaveProperty("visitors");
    const second = await office.list(period, 2, first.nextCursor ?? undefined, context.now);
    expect(ids(second)).toEqual([march.id]);
    expect(second.nextCursor).toBeNull();

    expect(ids(await office.list({ ...period, host: "vice-governor" }, 10, undefined, context.now))).toEqual([
      march.id,
    ]);
    expect(ids(await office.list({ ...period, partnerId: "seoul" }, 10, undefined, context.now))).toEqual([
      february.id,
    ]);
    expect(ids(await office.list({ ...period, missionId: "embassy-au" }, 10, undefined, context.now))).toEqual([
      january.id,
      march.id,
    ]);
    await office.cancel(january.id, { reason: "Postponed" }, context);
    expect(ids(await office.list({ ...period, status: "cancelled" }, 10, undefined, context.now))).toEqual([
      january.id,
    ]);
    // Without a period: this month and the next two, in Tokyo (2029-01-15 here); from a day on: three months.
    const midJanuary = new Date("2029-01-15T00:00:00Z");
    expect(ids(await office.list({}, 10, undefined, midJanuary))).toEqual([january.id, february.id, march.id]);
    expect(ids(await office.list({ from: "2029-03-01" }, 10, undefined, midJanuary))).toEqual([march.id, may.id]);
    expect(
      await problemOfRefusal(office.list({ from: "2029-01-01", to: "2035-01-01" }, 10, undefined, midJanuary)),
    ).toMatchObject({ status: 400 });
  });

  it("writes the largest call allowed, crossing midnight, in one transaction within DynamoDB's limits", async () => {
    const longest = { ja: "都".repeat(500), en: "x".repeat(500) };
    const largest = CallInput.parse(
      call("2027-06-01", "20:00", {
        durationMinutes: CALL_LIMITS.minutes.max,
        visitors: Array.from({ length: CALL_LIMITS.visitors }, () => ({ name: longest, title: longest })),
        partnerIds: Array.from({ length: CALL_LIMITS.partnerIds }, (_, i) => `${"p".repeat(60)}-${i}`),
        topics: Array.from({ length: CALL_LIMITS.topics }, (_, i) => `${"都".repeat(98)}${i}`),
        publicSummary: longest,
      }),
    );
    const [mission, read] = await Promise.all([
      office.missions.get("embassy-au"),
      office.governor.read(daysTouched(largest)),
    ]);
    const decision = orRefuse(scheduleCall(largest, mission ?? null, governorTimeOf(read), stampOf(context)));
    expect(decision.daysToTake).toEqual(["2027-06-01", "2027-06-02"]);
    const tx = office.calls.transactionOf(decision, read, context);
    // The call, its visitors, two days, the check on the days abroad, the audit entry and CourtesyCallScheduled.
    expect(tx.size).toBe(7);
    tx.assertWithinLimits();
    expect(itemSize({ visitors: largest.visitors })).toBeLessThan(ITEM_MAX_BYTES / 2);

    const scheduled = await office.schedule(largest, context);
    expect(await callsOn("2027-06-01")).toEqual([scheduled.id]);
    expect(await callsOn("2027-06-02")).toEqual([scheduled.id]);
    // Moved to another night: two days given back and two taken, in one transaction.
    await office.reschedule(scheduled.id, { startsAt: at("2027-06-03", "20:00") }, context);
    expect([await callsOn("2027-06-02"), await callsOn("2027-06-04")]).toEqual([[], [scheduled.id]]);
    expect(await office.visitors(scheduled.id)).toEqual(largest.visitors);
  });
});
