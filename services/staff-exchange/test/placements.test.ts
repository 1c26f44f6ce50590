import { randomUUID } from "node:crypto";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, problemOf, Refused, type WriteContext } from "@cdp/lambda-kit";
import { problemOfRefusal } from "@cdp/lambda-kit/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { aPlacementInput, aProgrammeInput, PERSONAL, personalValues } from "../src/domain/builders.ts";
import type { PlacementInput, ProgrammeInput } from "../src/domain/model.ts";
import { table } from "../src/manifest.ts";
import { StaffExchange } from "../src/use-cases.ts";

/**
 * The staff exchange on DynamoDB Local, through its use cases: the life cycle with the ledger's requests in
 * the outbox, the quota and the person's terms under concurrency, and personal data kept apart.
 */

const tableName = `staff-exchange-${randomUUID()}`;
const raw = new DynamoDBClient({});
const exchange = new StaffExchange(createDocumentClient(), tableName);
const context: WriteContext = { actor: "coordinator", correlationId: "test", now: new Date("2026-12-01T01:00:00Z") };
const later = (days: number): WriteContext => ({
  ...context,
  now: new Date(context.now.getTime() + days * 86_400_000),
});

function programmeInput(partnerId: string, perYear = 1): ProgrammeInput {
  return aProgrammeInput(partnerId, {
    placementsPerYear: { outbound: perYear, inbound: perYear },
    totalDaysPerYear: { outbound: 184 * perYear, inbound: 184 * perYear },
    maxDays: 184,
    costNorms: {
      monthlyAllowanceYen: 300_000,
      monthlyHousingYen: 150_000,
      monthlyInsuranceYen: 10_000,
      travelYen: 80_000,
    },
  });
}

/** The builders' placement, inbound, for a person of its own (or the one given). */
function placementInput(programmeId: string, overrides: Partial<PlacementInput> = {}): PlacementInput {
  return aPlacementInput({
    programmeId,
    direction: "inbound",
    person: { staffId: `seoul-${randomUUID().slice(0, 8)}`, name: { ja: "キム・ミンジ", en: "Kim Min-ji" } },
    personal: PERSONAL,
    ...overrides,
  });
}

/** A programme of its own for each test, with a partner the copies know. */
async function newProgramme(perYear = 1): Promise<string> {
  const partnerId = `partner-${randomUUID().slice(0, 8)}`;
  await exchange.programmes.keepPartner({ partnerId, name: { ja: "市", en: "City" } }, context);
  return (await exchange.createProgramme(programmeInput(partnerId, perYear), context)).id;
}

const problem = problemOfRefusal;

async function items(): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await raw.send(new ScanCommand({ TableName: tableName }));
  return Items.map((item) =>
    Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S ?? v.N ?? JSON.stringify(v)])),
  );
}

async function outboxOf(placementId: string): Promise<{ detailType: string; detail: Record<string, unknown> }[]> {
  return (await items())
    .filter((item) => String(item.pk).startsWith("OUTBOX#") && String(item.detail).includes(placementId))
    .map((item) => ({ detailType: String(item.detailType), detail: JSON.parse(String(item.detail)) }));
}

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
});

describe("the staff exchange on DynamoDB Local", () => {
  it("runs a placement through its life cycle, asking the ledger for money by event at each step", async () => {
    const programmeId = await newProgramme();
    const proposed = await exchange.propose(placementInput(programmeId), context);
    expect(proposed).toMatchObject({ status: "applied", days: 183, fiscalYear: 2027, version: 1 });
    const approved = await exchange.approve(proposed.id, undefined, context);
    const reference = `placement:${proposed.id}`;
    expect(approved.holds).toEqual([expect.objectContaining({ reference, status: "requested" })]);
    const holdId = randomUUID();
    const funded = await exchange.onHoldPlaced(
      proposed.id,
      { reference, holdId, amountYen: approved.estimate.totalYen },
      context,
    );
    expect(funded.status).toBe("funded");
    // The ledger's answer delivered again changes nothing.
    expect(
      await problem(exchange.onHoldPlaced(proposed.id, { reference, holdId, amountYen: 1 }, context)),
    ).toMatchObject({ status: 409 });
    expect(await problem(exchange.start(proposed.id, undefined, context))).toMatchObject({
      status: 409,
      extensions: { rule: "not-before-start" },
    });
    await exchange.start(proposed.id, undefined, later(130));
    const actual = {
      allowanceYen: 1_800_000,
      housingYen: 900_000,
      travelYen: 80_000,
      insuranceYen: 60_000,
      otherYen: 0,
    };
    const completed = await exchange.complete(proposed.id, { actual }, later(320));
    expect(completed).toMatchObject({ status: "completed", actual: { totalYen: 2_840_000 } });

    const events = await outboxOf(proposed.id);
    // One instant for the whole test: the outbox's order within it is not the steps' order.
    expect(events.map((e) => e.detailType).sort()).toEqual(
      [
        "PlacementProposed.v1",
        "PlacementApproved.v1",
        "FundHoldRequested.v1",
        "PlacementFunded.v1",
        "PlacementStarted.v1",
        "PlacementCompleted.v1",
        "FundHoldPostRequested.v1",
      ].sort(),
    );
    expect(events.find((e) => e.detailType === "FundHoldRequested.v1")?.detail).toMatchObject({
      reference,
      requester: "staff-exchange",
      programme: "staff-exchange",
      fiscalYear: 2027,
      amountYen: approved.estimate.totalYen,
      expiresOn: "2027-11-29",
    });
    expect(events.find((e) => e.detailType === "FundHoldPostRequested.v1")?.detail).toMatchObject({
      reference,
      amountYen: 2_840_000,
    });
  });

  it("keeps the person's data apart: readable through its own read only, never in an event, the audit or another item", async () => {
    const programmeId = await newProgramme();
    const placement = await exchange.propose(placementInput(programmeId), context);
    await exchange.approve(placement.id, undefined, context);
    await exchange.cancel(placement.id, { reason: "Withdrawn by the partner" }, context);
    expect(await exchange.placements.personal(placement.id)).toEqual(PERSONAL);
    const everything = await items();
    // Every placement's personal item is the one place for it (the other tests' placements share this table).
    const elsewhere = everything.filter((item) => item.sk !== "PERSONAL");
    const text = JSON.stringify(elsewhere);
    for (const secret of personalValues()) {
      expect(text).not.toContain(secret);
    }
  });

  it("gives the last slot of a quota to exactly one of two concurrent approvals; the other is refused naming the quota", async () => {
    const programmeId = await newProgramme(1);
    const [first, second] = await Promise.all([
      exchange.propose(placementInput(programmeId), context),
      exchange.propose(placementInput(programmeId), context),
    ]);
    const outcomes = await Promise.allSettled([
      exchange.approve(first.id, undefined, context),
      exchange.approve(second.id, undefined, context),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === "rejected");
    expect(
      lost?.status === "rejected" && lost.reason instanceof Refused && problemOf(lost.reason.refusal),
    ).toMatchObject({
      status: 409,
      extensions: { rule: "quota" },
    });
    expect(await exchange.placements.quotaUsed(programmeId, 2027, "inbound")).toEqual({ placements: 1, days: 183 });
  });

  it("gives the quota back on a cancellation before the start, so another placement can be approved", async () => {
    const programmeId = await newProgramme(1);
    const first = await exchange.propose(placementInput(programmeId), context);
    await exchange.approve(first.id, undefined, context);
    const second = await exchange.propose(placementInput(programmeId), context);
    expect(await problem(exchange.approve(second.id, undefined, context))).toMatchObject({ status: 409 });
    await exchange.cancel(first.id, { reason: "Host department reorganised" }, context);
    expect(await exchange.placements.quotaUsed(programmeId, 2027, "inbound")).toEqual({ placements: 0, days: 0 });
    expect((await exchange.approve(second.id, undefined, context)).status).toBe("approved");
  });

  it("refuses a second placement of a person whose terms overlap, also when both are proposed at once", async () => {
    const programmeId = await newProgramme(5);
    const person = { staffId: `tmg-${randomUUID().slice(0, 8)}`, name: { ja: "東京 太郎", en: "Taro Tokyo" } };
    const outcomes = await Promise.allSettled([
      exchange.propose(
        placementInput(programmeId, { person, startDate: "2027-04-01", endDate: "2027-06-30" }),
        context,
      ),
      exchange.propose(
        placementInput(programmeId, { person, startDate: "2027-06-01", endDate: "2027-08-31" }),
        context,
      ),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const next = await exchange.propose(
      placementInput(programmeId, { person, startDate: "2027-10-01", endDate: "2027-12-31" }),
      context,
    );
    expect(next.status).toBe("applied");
  });

  it("asks the ledger to void a hold whose answer has not come when the placement is cancelled, and ignores the late answer", async () => {
    const programmeId = await newProgramme();
    const placement = await exchange.propose(placementInput(programmeId), context);
    await exchange.approve(placement.id, undefined, context);
    const cancelled = await exchange.cancel(placement.id, { reason: "Budget re-planned" }, context);
    expect(cancelled.holds[0]?.status).toBe("void-requested");
    const reference = `placement:${placement.id}`;
    expect(
      await problem(exchange.onHoldPlaced(placement.id, { reference, holdId: randomUUID(), amountYen: 1 }, context)),
    ).toMatchObject({
      status: 409,
    });
    expect((await outboxOf(placement.id)).map((e) => e.detailType)).toContain("FundHoldVoidRequested.v1");
    expect((await exchange.placements.get(placement.id))?.status).toBe("cancelled");
  });

  it("lists placements by programme, status and period with pages, never a scan", async () => {
    const programmeId = await newProgramme(5);
    const made = [];
    for (const month of ["04", "05", "06"]) {
      made.push(
        await exchange.propose(
          placementInput(programmeId, { startDate: `2027-${month}-01`, endDate: `2027-${month}-20` }),
          context,
        ),
      );
    }
    await exchange.approve(made[1]?.id ?? "", undefined, context);
    const first = await exchange.placements.list({ programmeId }, 2);
    expect(first.items.map((p) => p.startDate)).toEqual(["2027-04-01", "2027-05-01"]);
    const rest = await exchange.placements.list({ programmeId }, 2, first.nextCursor ?? undefined);
    expect(rest.items.map((p) => p.startDate)).toEqual(["2027-06-01"]);
    expect((await exchange.placements.list({ programmeId, status: "approved" }, 10)).items.map((p) => p.id)).toEqual([
      made[1]?.id,
    ]);
    expect(
      (await exchange.placements.list({ programmeId, from: "2027-05-10", to: "2027-05-31" }, 10)).items,
    ).toHaveLength(1);
  });

  it("flags an approval whose funding has been awaited too long, once, and lists it in its own query until answered", async () => {
    const programmeId = await newProgramme(5);
    const waiting = await exchange.propose(placementInput(programmeId), context);
    await exchange.approve(waiting.id, undefined, context);
    await expect(exchange.flagFundingOverdue(waiting.id, 48, later(1))).rejects.toBeInstanceOf(Refused);
    const flagged = await exchange.flagFundingOverdue(waiting.id, 48, later(3));
    expect(flagged.fundingOverdueSince).toBe(later(3).now.toISOString());
    await expect(exchange.flagFundingOverdue(waiting.id, 48, later(4))).rejects.toBeInstanceOf(Refused);
    const overdue = await exchange.placements.list({ fundingOverdue: true, programmeId }, 10);
    expect(overdue.items.map((p) => p.id)).toEqual([waiting.id]);
    const reference = `placement:${waiting.id}`;
    await exchange.onHoldPlaced(
      waiting.id,
      { reference, holdId: randomUUID(), amountYen: flagged.estimate.totalYen },
      later(4),
    );
    expect((await exchange.placements.list({ fundingOverdue: true, programmeId }, 10)).items).toEqual([]);
  });
});
