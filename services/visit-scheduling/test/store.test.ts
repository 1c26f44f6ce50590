import { randomUUID } from "node:crypto";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import {
  createDocumentClient,
  orRefuse,
  problemOf,
  Refused,
  VersionConflict,
  type WriteContext,
} from "@cdp/lambda-kit";
import { problemOfRefusal, throttledBatchGets } from "@cdp/lambda-kit/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { approveVisit, confirmVisit } from "../src/domain/decide-visit.ts";
import type { VisitInput } from "../src/domain/model.ts";
import { table } from "../src/manifest.ts";
import { ConferenceStore } from "../src/store/conference-store.ts";
import { VisitScheduling } from "../src/use-cases.ts";

const tableName = `visit-scheduling-${randomUUID()}`;
const raw = new DynamoDBClient({});
const scheduling = new VisitScheduling(createDocumentClient(), tableName);
const store = scheduling.visits;
const context: WriteContext = {
  actor: "protocol-officer",
  correlationId: "test",
  now: new Date("2026-11-28T01:00:00Z"),
};

const quotes = [
  { vendor: "JTB", amountYen: 13_000_000, receivedOn: "2026-10-01" },
  { vendor: "HIS", amountYen: 14_000_000, receivedOn: "2026-10-02" },
];

function visit(overrides: Partial<VisitInput> = {}): VisitInput {
  return {
    direction: "outbound",
    partnerIds: ["london", "paris"],
    delegationHead: {
      name: { ja: "東京都知事", en: "Governor of Tokyo" },
      title: { ja: "知事", en: "Governor" },
      level: "head",
    },
    purpose: "relationship-building",
    purposeStatement: { ja: "姉妹友好都市との関係強化", en: "Strengthening sister-city ties" },
    priority: 2,
    startDate: "2027-02-01",
    endDate: "2027-02-05",
    itinerary: [],
    members: [],
    costEstimate: { breakdown: [{ item: "flights and hotels", amountYen: 13_000_000 }], quotes },
    ...overrides,
  };
}

const problem = problemOfRefusal;

async function outbox(): Promise<{ id: string; detailType: string; detail: Record<string, unknown> }[]> {
  const { Items = [] } = await raw.send(new ScanCommand({ TableName: tableName }));
  return Items.filter((i) => i.pk?.S?.startsWith("OUTBOX#")).map((i) => ({
    id: String(i.pk?.S).slice("OUTBOX#".length),
    detailType: String(i.detailType?.S),
    detail: JSON.parse(String(i.detail?.S)) as Record<string, unknown>,
  }));
}

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
});

describe("visit store on DynamoDB Local", () => {
  it("runs a visit through its life cycle, publishing each step, and refuses illegal steps naming the state", async () => {
    const proposed = await scheduling.propose(visit({ startDate: "2027-01-05", endDate: "2027-01-07" }), context);
    expect(proposed).toMatchObject({ status: "proposed", governorEngagement: true, version: 1 });
    expect(proposed.costEstimate.totalYen).toBe(13_000_000);
    expect(await problem(scheduling.transition({ action: "confirm", visitId: proposed.id }, context))).toMatchObject({
      status: 409,
      extensions: { currentStatus: "proposed" },
    });
    await scheduling.transition({ action: "approve", visitId: proposed.id }, context);
    await scheduling.transition({ action: "confirm", visitId: proposed.id }, context);
    const completed = await scheduling.transition(
      { action: "complete", visitId: proposed.id, actualCostYen: 12_500_000 },
      context,
    );
    expect(completed).toMatchObject({ status: "completed", actualCostYen: 12_500_000, version: 4 });
    expect(
      await problem(scheduling.transition({ action: "cancel", visitId: proposed.id, reason: "late" }, context)),
    ).toMatchObject({
      status: 409,
      detail: expect.stringContaining("completed"),
    });
    const mine = (await outbox()).filter((e) => e.detail.visitId === proposed.id).map((e) => e.detailType);
    expect(mine).toEqual(expect.arrayContaining(["VisitApproved.v1", "VisitConfirmed.v1", "VisitCompleted.v1"]));
    const completedEvent = (await outbox()).find(
      (e) => e.detailType === "VisitCompleted.v1" && e.detail.visitId === proposed.id,
    );
    expect(completedEvent?.detail).toMatchObject({
      direction: "outbound",
      leaderLevel: "head",
      partnerIds: ["london", "paris"],
      // The event's own identity is its outbox record's, set once when written.
      metadata: { eventId: completedEvent?.id, correlationId: "test", occurredAt: context.now.toISOString() },
    });
  });

  it("needs two vendors' quotes before an outbound visit is approved", async () => {
    const oneQuote = await scheduling.propose(
      visit({
        startDate: "2027-03-01",
        endDate: "2027-03-02",
        costEstimate: { breakdown: [], quotes: [quotes[0] as (typeof quotes)[0]] },
      }),
      context,
    );
    expect(await problem(scheduling.transition({ action: "approve", visitId: oneQuote.id }, context))).toMatchObject({
      status: 409,
    });
    expect((await store.get(oneQuote.id))?.status).toBe("proposed");
  });

  it("refuses an approval that would put the governor in two places, naming the clashing visit", async () => {
    const first = await scheduling.propose(visit({ startDate: "2027-04-10", endDate: "2027-04-14" }), context);
    await scheduling.transition({ action: "approve", visitId: first.id }, context);
    const courtesyCall = await scheduling.propose(
      visit({
        direction: "inbound",
        partnerIds: ["seoul"],
        startDate: "2027-04-14",
        endDate: "2027-04-15",
        costEstimate: { breakdown: [], quotes: [] },
      }),
      context,
    );
    expect(
      await problem(scheduling.transition({ action: "approve", visitId: courtesyCall.id }, context)),
    ).toMatchObject({
      status: 409,
      extensions: { clashingVisits: [first.id] },
    });
    // A deputy's delegation does not need the governor.
    const deputy = await scheduling.propose(
      visit({
        direction: "inbound",
        startDate: "2027-04-12",
        endDate: "2027-04-12",
        delegationHead: {
          name: { ja: "副市長", en: "Deputy Mayor" },
          title: { ja: "副市長", en: "Deputy Mayor" },
          level: "deputy",
        },
      }),
      context,
    );
    expect((await scheduling.transition({ action: "approve", visitId: deputy.id }, context)).status).toBe("approved");
    // Cancelling gives the governor's days back.
    await scheduling.transition({ action: "cancel", visitId: first.id, reason: "Typhoon" }, context);
    expect((await scheduling.transition({ action: "approve", visitId: courtesyCall.id }, context)).status).toBe(
      "approved",
    );
  });

  it("lets exactly one of two simultaneous approvals of overlapping trips win", async () => {
    for (let round = 0; round < 5; round++) {
      const month = String(5 + round).padStart(2, "0");
      const a = await scheduling.propose(
        visit({ startDate: `2027-${month}-01`, endDate: `2027-${month}-05` }),
        context,
      );
      const b = await scheduling.propose(
        visit({ partnerIds: ["berlin"], startDate: `2027-${month}-04`, endDate: `2027-${month}-08` }),
        context,
      );
      const results = await Promise.allSettled([
        scheduling.transition({ action: "approve", visitId: a.id }, context),
        scheduling.transition({ action: "approve", visitId: b.id }, context),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected");
      expect(refused?.status === "rejected" && refused.reason).toBeInstanceOf(Refused);
      expect(refused?.status === "rejected" && problemOf((refused.reason as Refused).refusal)).toMatchObject({
        status: 409,
      });
      const statuses = [(await store.get(a.id))?.status, (await store.get(b.id))?.status].sort();
      expect(statuses).toEqual(["approved", "proposed"]);
    }
  });

  it("refuses, on writing, a governor's day another approval took since the read, naming who holds it", async () => {
    const a = await scheduling.propose(visit({ startDate: "2029-01-10", endDate: "2029-01-12" }), context);
    const b = await scheduling.propose(
      visit({ partnerIds: ["berlin"], startDate: "2029-01-12", endDate: "2029-01-13" }),
      context,
    );
    // Decided on what was read before A's approval: no engagement near B held the governor then.
    const decision = orRefuse(
      approveVisit(await store.get(b.id), { action: "approve", visitId: b.id }, [], context.now),
    );
    await scheduling.transition({ action: "approve", visitId: a.id }, context);
    expect(await problem(store.commit(decision, context))).toMatchObject({
      status: 409,
      extensions: { rule: "governor-calendar", currentStatus: "proposed", clashingVisits: [a.id] },
    });
    expect((await store.get(b.id))?.status).toBe("proposed");
  });

  it("writes a decision only on the version it was made on", async () => {
    const proposed = await scheduling.propose(visit({ startDate: "2029-02-10", endDate: "2029-02-11" }), context);
    const approved = await scheduling.transition({ action: "approve", visitId: proposed.id }, context);
    const decision = orRefuse(confirmVisit(approved, { action: "confirm", visitId: proposed.id }, context.now));
    await scheduling.edit(proposed.id, { priority: 5 }, approved.version, context);
    await expect(store.commit(decision, context)).rejects.toBeInstanceOf(VersionConflict);
    // Through the use case, the lost race is read again and decided anew.
    expect(await scheduling.transition({ action: "confirm", visitId: proposed.id }, context)).toMatchObject({
      status: "confirmed",
      priority: 5,
    });
  });

  it("links a conference only to visits that exist, naming those that do not, and writes nothing then", async () => {
    const linked = await scheduling.propose(visit({ startDate: "2029-03-10", endDate: "2029-03-11" }), context);
    const missing = randomUUID();
    const conference = {
      name: { ja: "都市サミット", en: "Cities Summit" },
      city: { partnerId: "seoul" },
      startDate: "2029-03-10",
      endDate: "2029-03-12",
      role: "participate" as const,
      visitIds: [linked.id, missing],
    };
    expect(await problem(scheduling.createConference(conference, context))).toMatchObject({
      status: 404,
      detail: `Visit ${missing} does not exist`,
    });
    const period = { from: "2029-03-01", to: "2029-03-31" };
    expect((await scheduling.conferences.list(period, 10)).items).toEqual([]);
    const recorded = await scheduling.createConference({ ...conference, visitIds: [linked.id] }, context);
    expect((await scheduling.conferences.list(period, 10)).items).toEqual([recorded]);
  });

  it("reads again the visits a throttled batch read left unprocessed, never taking them as missing", async () => {
    const a = await scheduling.propose(visit({ startDate: "2029-04-10", endDate: "2029-04-10" }), context);
    const b = await scheduling.propose(visit({ startDate: "2029-04-11", endDate: "2029-04-11" }), context);
    // DynamoDB under throttling answers part of a BatchGetItem and hands the rest back as UnprocessedKeys.
    const { client, state } = throttledBatchGets({
      tableName,
      throttledCalls: 1,
      withhold: (keys) => keys.slice(0, 1),
    });
    const conferences = new ConferenceStore(client, tableName);
    expect(await conferences.existingVisitIds([a.id, b.id])).toEqual(new Set([a.id, b.id]));
    expect(state.requests.length).toBe(2);
  });

  it("keeps delegates' personal data apart from the visit", async () => {
    const proposed = await scheduling.propose(
      visit({
        startDate: "2028-01-10",
        endDate: "2028-01-11",
        members: [
          {
            name: { ja: "佐藤", en: "Sato" },
            role: "Interpreter",
            personal: { passportNumber: "TZ9876543", medicalNotes: "asthma" },
          },
        ],
      }),
      context,
    );
    expect(JSON.stringify(proposed)).not.toContain("TZ9876543");
    expect(JSON.stringify(await store.get(proposed.id))).not.toContain("asthma");
    const members = await store.members(proposed.id);
    expect(members).toEqual([
      {
        id: expect.any(String),
        name: { ja: "佐藤", en: "Sato" },
        role: "Interpreter",
        personal: { passportNumber: "TZ9876543", medicalNotes: "asthma" },
      },
    ]);
    await scheduling.transition({ action: "approve", visitId: proposed.id }, context);
    await scheduling.transition({ action: "confirm", visitId: proposed.id }, context);
    const events = JSON.stringify((await outbox()).filter((e) => e.detail.visitId === proposed.id));
    expect(events).toContain("VisitConfirmed.v1");
    expect(events).not.toContain("TZ9876543");
    expect(events).not.toContain("asthma");
  });

  it("edits dates only while proposed and refuses a stale version", async () => {
    const proposed = await scheduling.propose(visit({ startDate: "2028-02-10", endDate: "2028-02-11" }), context);
    const moved = await scheduling.edit(proposed.id, { startDate: "2028-02-12", endDate: "2028-02-13" }, 1, context);
    expect(moved).toMatchObject({ startDate: "2028-02-12", version: 2 });
    expect(await problem(scheduling.edit(proposed.id, { priority: 1 }, 1, context))).toMatchObject({ status: 412 });
    await scheduling.transition({ action: "approve", visitId: proposed.id }, context);
    expect(await problem(scheduling.edit(proposed.id, { endDate: "2028-02-20" }, 3, context))).toMatchObject({
      status: 409,
    });
    expect((await scheduling.edit(proposed.id, { priority: 1 }, 3, context)).priority).toBe(1);
    expect(await problem(scheduling.edit(proposed.id, { endDate: "2028-02-01" }, 4, context))).toMatchObject({
      status: 409,
    });
  });

  it("lists visits overlapping a period by start date, by partner and status, without a scan", async () => {
    const x = await scheduling.propose(
      visit({ partnerIds: ["jakarta"], startDate: "2029-06-28", endDate: "2029-07-02" }),
      context,
    );
    const y = await scheduling.propose(
      visit({ partnerIds: ["jakarta"], startDate: "2029-07-10", endDate: "2029-07-11" }),
      context,
    );
    await scheduling.propose(
      visit({ partnerIds: ["jakarta"], startDate: "2029-08-10", endDate: "2029-08-11" }),
      context,
    );
    const july = await store.list({ from: "2029-07-01", to: "2029-07-31", partnerId: "jakarta" }, 10);
    expect(july.items.map((v) => v.id)).toEqual([x.id, y.id]);
    await scheduling.transition({ action: "cancel", visitId: y.id, reason: "Postponed" }, context);
    const cancelled = await store.list({ from: "2029-07-01", to: "2029-07-31", status: "cancelled" }, 10);
    expect(cancelled.items.map((v) => v.id)).toEqual([y.id]);
    const proposedOnly = await store.list(
      { from: "2029-07-01", to: "2029-07-31", partnerId: "jakarta", status: "proposed" },
      10,
    );
    expect(proposedOnly.items.map((v) => v.id)).toEqual([x.id]);
  });

  it("plans a fiscal year's governor trips under its cap and budget", async () => {
    await scheduling.setPlan(2030, { tripCap: 1, travelBudgetYen: 20_000_000 }, context);
    const high = await scheduling.propose(
      visit({ priority: 1, startDate: "2030-05-01", endDate: "2030-05-03" }),
      context,
    );
    const low = await scheduling.propose(
      visit({ priority: 3, startDate: "2030-06-01", endDate: "2030-06-03" }),
      context,
    );
    await scheduling.propose(visit({ direction: "inbound", startDate: "2030-07-01", endDate: "2030-07-01" }), context);
    const plan = await scheduling.plans.plan(2030);
    expect(plan.settings).toEqual({ tripCap: 1, travelBudgetYen: 20_000_000 });
    expect(plan.proposals.map((p) => [p.visit.id, p.fits])).toEqual([
      [high.id, true],
      [low.id, false],
    ]);
  });
});
