import { randomUUID } from "node:crypto";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { FUND_LEDGER_SOURCE } from "@cdp/contracts";
import { createDocumentClient, EventRefused, Refused } from "@cdp/lambda-kit";
import { eventBridgeEvent, eventMetadata, lambdaContext } from "@cdp/lambda-kit/testing";
import type { Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { accountIds } from "../src/domain/chart.ts";
import { fiscalYearOf, tokyoDate } from "../src/domain/fiscal-year.ts";
import type { ApprovalRequest, Hold } from "../src/domain/model.ts";
import { table } from "../src/manifest.ts";
import { readRequestRecord } from "../src/store/requests.ts";
import { addProgramme } from "../src/use-cases.ts";
import { closeFiscalYear, expireHolds } from "../src/year-end.ts";
import { at, freshLedger, text } from "./fixtures.ts";

/**
 * FundHoldRequested.v1, FundHoldPostRequested.v1 and FundHoldVoidRequested.v1 from another service, through the
 * ledger's real consumers (the event kit's contract checks, idempotency per event and refusal policies) on
 * DynamoDB Local. Each scenario has a programme of its own, so its statement row is its alone.
 */

const TODAY = tokyoDate(new Date());
const FY = fiscalYearOf(TODAY);
const REQUESTER = "staff-exchange";
const BUDGET_YEN = 50_000_000;

type Handler = (event: unknown, context: Context) => Promise<{ consumed: string; ignored?: string }>;
let env: Awaited<ReturnType<typeof freshLedger>>;
let onRequested: Handler;
let onPostRequested: Handler;
let onVoidRequested: Handler;

beforeAll(async () => {
  env = await freshLedger();
  // Handler modules read the table name when loaded: import them once it is set.
  process.env[table.envVar] = env.tableName;
  onRequested = (await import("../src/handlers/on-hold-requested.ts")).handler as Handler;
  onPostRequested = (await import("../src/handlers/on-hold-post-requested.ts")).handler as Handler;
  onVoidRequested = (await import("../src/handlers/on-hold-void-requested.ts")).handler as Handler;
  await env.ledger.contributeCapital({ amountYen: 8_000_000_000, description: text("opening") }, at(TODAY));
}, 120_000);

let scenarios = 0;
/** A programme of the scenario's own, with its budget for the current year (default threshold ¥5,000,000). */
async function programme(): Promise<string> {
  const id = `scenario-${++scenarios}`;
  await addProgramme(env.ledger.store, { id, name: text(id) }, at(TODAY));
  await env.ledger.appropriate(
    { fiscalYear: FY, programme: id, amountYen: BUDGET_YEN, description: text("budget") },
    at(TODAY),
  );
  return id;
}

const newReference = () => `placement:${randomUUID()}`;
const description = { ja: "派遣職員の旅費", en: "Travel of a seconded staff member" };

const requested = (programmeId: string, reference: string, amountYen: number) =>
  eventBridgeEvent(FUND_LEDGER_SOURCE, "FundHoldRequested.v1", {
    requester: REQUESTER,
    reference,
    programme: programmeId,
    fiscalYear: FY,
    amountYen,
    description,
    metadata: eventMetadata(),
  });
const postRequested = (reference: string, amountYen: number) =>
  eventBridgeEvent(FUND_LEDGER_SOURCE, "FundHoldPostRequested.v1", {
    requester: REQUESTER,
    reference,
    amountYen,
    metadata: eventMetadata(),
  });
const voidRequested = (reference: string) =>
  eventBridgeEvent(FUND_LEDGER_SOURCE, "FundHoldVoidRequested.v1", {
    requester: REQUESTER,
    reference,
    reason: "The placement was cancelled",
    metadata: eventMetadata(),
  });
/** The same request sent again by its requester: a new event (new eventId) with the same detail. */
const resent = <E extends ReturnType<typeof eventBridgeEvent>>(event: E): E => ({
  ...event,
  id: randomUUID(),
  detail: { ...(event.detail as object), metadata: eventMetadata() },
});

type Delivered =
  | { readonly outcome: "consumed" | "ignored" }
  | { readonly outcome: "retried" | "dead-lettered"; readonly message: string };

/** Delivers an event as a rule does, and says what the kit made of it. */
async function deliver(event: ReturnType<typeof eventBridgeEvent>): Promise<Delivered> {
  const handler = {
    "FundHoldRequested.v1": onRequested,
    "FundHoldPostRequested.v1": onPostRequested,
    "FundHoldVoidRequested.v1": onVoidRequested,
  }[event["detail-type"]];
  if (!handler) throw new Error(`no consumer of ${event["detail-type"]}`);
  try {
    const result = await handler(event, lambdaContext());
    return { outcome: result.ignored ? "ignored" : "consumed" };
  } catch (error) {
    // The kit rethrows a refusal it retries, and turns one it dead-letters into EventRefused.
    if (error instanceof EventRefused) return { outcome: "dead-lettered", message: error.message };
    if (error instanceof Refused) return { outcome: "retried", message: error.message };
    throw error;
  }
}

async function deliverAll(events: readonly ReturnType<typeof eventBridgeEvent>[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (const event of events) outcomes.push((await deliver(event)).outcome);
  return outcomes;
}

const documents = DynamoDBDocumentClient.from(createDocumentClient());

/** Every event the ledger's outbox holds about a reference, as detail-type → details. */
async function publishedAbout(reference: string): Promise<Record<string, Record<string, unknown>[]>> {
  const { Items = [] } = await documents.send(
    new ScanCommand({
      TableName: env.tableName,
      FilterExpression: "begins_with(pk, :outbox)",
      ExpressionAttributeValues: { ":outbox": "OUTBOX#" },
    }),
  );
  const about: Record<string, Record<string, unknown>[]> = {};
  for (const item of Items) {
    const detail = JSON.parse(String(item.detail)) as Record<string, unknown>;
    if (detail.reference !== reference) continue;
    const type = String(item.detailType);
    about[type] = [...(about[type] ?? []), detail];
  }
  return about;
}

async function statementRow(programmeId: string) {
  const row = (await env.reads.statement(FY)).programmes.find((p) => p.programme === programmeId);
  if (!row) throw new Error(`no statement row for ${programmeId}`);
  const { programme: _, ...figures } = row;
  return figures;
}

/** What a scenario leaves: its statement row, how many of each event, and the kinds of its journals. */
async function outcomeOf(programmeId: string, reference: string) {
  const published = await publishedAbout(reference);
  return {
    statement: await statementRow(programmeId),
    events: Object.fromEntries(
      Object.entries(published)
        .filter(([type]) => type !== "FundJournalPosted.v1")
        .map(([type, details]) => [type, details.length]),
    ),
    journals: (published["FundJournalPosted.v1"] ?? []).map((d) => String(d.kind)).sort(),
  };
}

async function holdOf(reference: string): Promise<Hold> {
  const [placed] = (await publishedAbout(reference))["FundHoldPlaced.v1"] ?? [];
  const hold = placed && (await env.reads.hold(String(placed.holdId)));
  if (!hold) throw new Error(`no hold placed for ${reference}`);
  return hold;
}

async function awaitingApprovalOf(reference: string): Promise<ApprovalRequest | undefined> {
  return (await env.reads.awaitingApprovals()).find((a) => a.reference === reference);
}

const untouched = { appropriatedYen: BUDGET_YEN, heldYen: 0, spentYen: 0, availableYen: BUDGET_YEN, returnedYen: 0 };

describe("FundHoldPostRequested.v1", () => {
  it("posts part of the hold: the posting and the released remainder show in the statement and balances", async () => {
    const p = await programme();
    const reference = newReference();
    expect(await deliverAll([requested(p, reference, 1_200_000), postRequested(reference, 1_000_000)])).toEqual([
      "consumed",
      "consumed",
    ]);
    expect(await statementRow(p)).toEqual({
      ...untouched,
      spentYen: 1_000_000,
      availableYen: BUDGET_YEN - 1_000_000,
      releasedYen: 200_000,
    });
    const [expenses, commitments] = await env.reads.balances([
      accountIds.expenses(FY, p),
      accountIds.commitments(FY, p),
    ]);
    expect(expenses).toMatchObject({ posted: 1_000_000, pending: 0 });
    expect(commitments).toMatchObject({ posted: 1_000_000, pending: 0 });
    const hold = await holdOf(reference);
    expect(hold).toMatchObject({ status: "posted", postedYen: 1_000_000, releasedYen: 200_000 });
    const published = await publishedAbout(reference);
    expect(published["FundHoldPosted.v1"]).toEqual([
      expect.objectContaining({ holdId: hold.id, requester: REQUESTER, postedYen: 1_000_000, releasedYen: 200_000 }),
    ]);
    expect((published["FundJournalPosted.v1"] ?? []).map((d) => d.kind).sort()).toEqual(["hold", "posting", "release"]);
  });

  it("posts 0 as a void: nothing spent, all of it released, answered with FundHoldVoided.v1", async () => {
    const p = await programme();
    const reference = newReference();
    expect(await deliverAll([requested(p, reference, 800_000), postRequested(reference, 0)])).toEqual([
      "consumed",
      "consumed",
    ]);
    expect(await statementRow(p)).toEqual({ ...untouched, releasedYen: 800_000 });
    expect(await outcomeOf(p, reference)).toMatchObject({
      events: { "FundHoldPlaced.v1": 1, "FundHoldVoided.v1": 1 },
      journals: ["hold", "release"],
    });
    expect((await publishedAbout(reference))["FundHoldVoided.v1"]).toEqual([
      expect.objectContaining({ reason: "voided", releasedYen: 800_000 }),
    ]);
  });

  it("refuses to post more than is held, dead-lettered with the rule; a top-up hold of its own reference then takes the rest", async () => {
    const p = await programme();
    const reference = newReference();
    await deliver(requested(p, reference, 500_000));
    const refused = await deliver(postRequested(reference, 600_000));
    expect(refused).toEqual({
      outcome: "dead-lettered",
      message: expect.stringMatching(/holds 500000 yen; 600000 cannot be posted/),
    });
    expect(await holdOf(reference)).toMatchObject({ status: "held" });
    expect(await statementRow(p)).toMatchObject({ heldYen: 500_000, spentYen: 0 });

    const topUp = `${reference}:top-up`;
    expect(
      await deliverAll([
        requested(p, topUp, 100_000),
        postRequested(reference, 500_000),
        postRequested(topUp, 100_000),
      ]),
    ).toEqual(["consumed", "consumed", "consumed"]);
    expect(await statementRow(p)).toMatchObject({ heldYen: 0, spentYen: 600_000, releasedYen: 0 });
  });

  it("retries a post for a reference not seen yet, and acts on it once the request has come", async () => {
    const p = await programme();
    const reference = newReference();
    const post = postRequested(reference, 300_000);
    expect(await deliver(post)).toEqual({ outcome: "retried", message: expect.stringContaining(reference) });
    expect(await deliverAll([requested(p, reference, 400_000), post])).toEqual(["consumed", "consumed"]);

    // The same pair in order, once each, on a programme of its own: the same outcome.
    const inOrder = await programme();
    const inOrderReference = newReference();
    await deliverAll([requested(inOrder, inOrderReference, 400_000), postRequested(inOrderReference, 300_000)]);
    expect(await outcomeOf(p, reference)).toEqual(await outcomeOf(inOrder, inOrderReference));
    expect(await statementRow(p)).toMatchObject({ spentYen: 300_000, releasedYen: 100_000, heldYen: 0 });
  });

  it("dead-letters a posting of an expired hold, naming the rule; a void or a post of 0 then changes nothing", async () => {
    const p = await programme();
    const reference = newReference();
    const yesterday = new Date(Date.parse(`${TODAY}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await env.ledger.requestHoldByEvent(
      {
        requester: REQUESTER,
        reference,
        programme: p,
        fiscalYear: FY,
        amountYen: 700_000,
        description,
        expiresOn: yesterday,
      },
      randomUUID(),
      at(TODAY, `event:${REQUESTER}`),
    );
    expect(await expireHolds(env.ledger, env.reads, at(TODAY, "schedule:expire-holds"))).toBeGreaterThanOrEqual(1);
    expect(await holdOf(reference)).toMatchObject({ status: "expired" });
    const before = await outcomeOf(p, reference);

    expect(await deliver(postRequested(reference, 700_000))).toEqual({
      outcome: "dead-lettered",
      message: expect.stringMatching(/expired on .* nothing is posted/),
    });
    expect(await deliverAll([postRequested(reference, 0), voidRequested(reference)])).toEqual(["ignored", "ignored"]);
    expect(await outcomeOf(p, reference)).toEqual(before);
    expect(before.statement).toEqual({ ...untouched, releasedYen: 700_000 });
  });

  it("dead-letters a posting of a hold its year's closing voided, naming the rule; a void changes nothing", async () => {
    const closedYear = FY - 2; // its settlement period ended more than a year ago: it may be closed today
    const p = `closed-${randomUUID().slice(0, 8)}`;
    const then = at(`${closedYear}-06-01`);
    await addProgramme(env.ledger.store, { id: p, name: text(p) }, then);
    await env.ledger.appropriate(
      { fiscalYear: closedYear, programme: p, amountYen: 1_000_000, description: text("budget") },
      then,
    );
    const reference = newReference();
    await env.ledger.requestHoldByEvent(
      { requester: REQUESTER, reference, programme: p, fiscalYear: closedYear, amountYen: 250_000, description },
      randomUUID(),
      at(`${closedYear}-06-01`, `event:${REQUESTER}`),
    );
    expect(await closeFiscalYear(env.ledger, env.reads, closedYear, at(TODAY))).toMatchObject({ voidedHolds: 1 });

    expect(await deliver(postRequested(reference, 250_000))).toEqual({
      outcome: "dead-lettered",
      message: expect.stringMatching(new RegExp(`FY${closedYear} is closed`)),
    });
    expect(await deliver(voidRequested(reference))).toEqual({ outcome: "ignored" });
    const published = await publishedAbout(reference);
    expect(published["FundHoldVoided.v1"]).toEqual([expect.objectContaining({ reason: "fiscal-year-closed" })]);
    expect(published["FundHoldPosted.v1"]).toBeUndefined();
  });
});

describe("FundHoldVoidRequested.v1", () => {
  it("voids the hold: all of it released, FundHoldVoided.v1 as the HTTP void publishes it", async () => {
    const p = await programme();
    const reference = newReference();
    expect(await deliverAll([requested(p, reference, 900_000), voidRequested(reference)])).toEqual([
      "consumed",
      "consumed",
    ]);
    expect(await statementRow(p)).toEqual({ ...untouched, releasedYen: 900_000 });
    expect(await holdOf(reference)).toMatchObject({ status: "voided", releasedYen: 900_000 });
    expect(await outcomeOf(p, reference)).toMatchObject({
      events: { "FundHoldPlaced.v1": 1, "FundHoldVoided.v1": 1 },
      journals: ["hold", "release"],
    });
  });

  it("before its request closes the reference: the request then places nothing, and nothing is held", async () => {
    const p = await programme();
    const reference = newReference();
    expect(await deliver(voidRequested(reference))).toEqual({ outcome: "consumed" });
    expect(await readRequestRecord(documents, env.tableName, REQUESTER, reference)).toMatchObject({
      result: "voided-before-request",
    });
    expect(
      await deliverAll([requested(p, reference, 600_000), postRequested(reference, 600_000), voidRequested(reference)]),
    ).toEqual(["ignored", "ignored", "ignored"]);
    expect(await statementRow(p)).toEqual({ ...untouched, releasedYen: 0 });
    expect(await publishedAbout(reference)).toEqual({});

    // The pair the other way round, on a programme of its own: the money ends the same (the trail differs: a
    // hold placed and released there, none here).
    const inOrder = await programme();
    const inOrderReference = newReference();
    await deliverAll([requested(inOrder, inOrderReference, 600_000), voidRequested(inOrderReference)]);
    const { releasedYen: _released, ...money } = await statementRow(inOrder);
    expect(await statementRow(p)).toMatchObject(money);
  });

  it("withdraws a request awaiting approval: no hold ever results, and no approver can approve it", async () => {
    const p = await programme();
    const reference = newReference();
    expect(await deliver(requested(p, reference, 6_000_000))).toEqual({ outcome: "consumed" });
    const waiting = await awaitingApprovalOf(reference);
    expect(waiting).toMatchObject({ status: "awaiting-approval", requester: REQUESTER, amountYen: 6_000_000 });
    // Not placed yet: a post waits for it (retried).
    expect(await deliver(postRequested(reference, 6_000_000))).toMatchObject({ outcome: "retried" });

    expect(await deliver(voidRequested(reference))).toEqual({ outcome: "consumed" });
    expect(await awaitingApprovalOf(reference)).toBeUndefined();
    const withdrawn = await env.reads.approval(String(waiting?.id));
    expect(withdrawn).toMatchObject({
      status: "rejected",
      decidedBy: `event:${REQUESTER}`,
      reason: `Withdrawn by ${REQUESTER}: The placement was cancelled`,
    });
    await expect(env.ledger.approve(String(waiting?.id), at(TODAY, "approver-2"))).rejects.toMatchObject({
      refusal: { kind: "conflict", currentState: "rejected" },
    });
    expect(await deliverAll([voidRequested(reference), postRequested(reference, 6_000_000)])).toEqual([
      "ignored",
      "ignored",
    ]);
    expect(await statementRow(p)).toEqual({ ...untouched, releasedYen: 0 });
    expect(await publishedAbout(reference)).toEqual({});
  });
});

describe("delivered up to three times, and out of order", () => {
  /** Each event three times: twice the same event (a redelivery), once sent again as a new event. */
  const thrice = <E extends ReturnType<typeof eventBridgeEvent>>(event: E): [E, E, E] => [event, event, resent(event)];

  it("a hold requested and posted in part, each event three times, ends as one delivery of each", async () => {
    const once = await programme();
    const onceReference = newReference();
    await deliverAll([requested(once, onceReference, 2_000_000), postRequested(onceReference, 1_500_000)]);

    const p = await programme();
    const reference = newReference();
    const [r1, r2, r3] = thrice(requested(p, reference, 2_000_000));
    const [p1, p2, p3] = thrice(postRequested(reference, 1_500_000));
    // The first post comes before its request and is retried; the redelivery of that same event then acts.
    expect(await deliverAll([p1, r1, p2, r2, r3, p3])).toEqual([
      "retried",
      "consumed",
      "consumed",
      "consumed",
      "ignored",
      "ignored",
    ]);
    // A void after the posting is ignored: no second journal.
    expect(await deliverAll(thrice(voidRequested(reference)))).toEqual(["ignored", "ignored", "ignored"]);

    expect(await outcomeOf(p, reference)).toEqual(await outcomeOf(once, onceReference));
    expect(await outcomeOf(p, reference)).toEqual({
      statement: { ...untouched, spentYen: 1_500_000, availableYen: BUDGET_YEN - 1_500_000, releasedYen: 500_000 },
      events: { "FundHoldPlaced.v1": 1, "FundHoldPosted.v1": 1 },
      journals: ["hold", "posting", "release"],
    });
  });

  it("a hold requested and voided, each event three times in any order, ends as one delivery of each", async () => {
    const once = await programme();
    const onceReference = newReference();
    await deliverAll([requested(once, onceReference, 700_000), voidRequested(onceReference)]);

    const p = await programme();
    const reference = newReference();
    const [r1, r2, r3] = thrice(requested(p, reference, 700_000));
    const [v1, v2, v3] = thrice(voidRequested(reference));
    expect(await deliverAll([r1, v1, r2, v2, v3, r3])).toEqual([
      "consumed",
      "consumed",
      "consumed",
      "consumed",
      "ignored",
      "ignored",
    ]);
    // A post after the void is ignored: no second journal.
    expect(await deliverAll(thrice(postRequested(reference, 700_000)))).toEqual(["ignored", "ignored", "ignored"]);
    expect(await outcomeOf(p, reference)).toEqual(await outcomeOf(once, onceReference));

    // Void first, then the request, each three times: nothing is ever held.
    const late = await programme();
    const lateReference = newReference();
    const [lr1, lr2, lr3] = thrice(requested(late, lateReference, 700_000));
    const [lv1, lv2, lv3] = thrice(voidRequested(lateReference));
    expect(await deliverAll([lv1, lr1, lv2, lr2, lv3, lr3])).toEqual([
      "consumed",
      "ignored",
      "consumed",
      "ignored",
      "ignored",
      "ignored",
    ]);
    expect(await outcomeOf(late, lateReference)).toEqual({
      statement: { ...untouched, releasedYen: 0 },
      events: {},
      journals: [],
    });
  });

  it("at the same moment: a void racing its request never leaves a hold held, and racing posts post once", async () => {
    const p = await programme();
    const references = Array.from({ length: 4 }, newReference);
    const raced = await Promise.all(
      references.flatMap((reference) => [deliver(requested(p, reference, 300_000)), deliver(voidRequested(reference))]),
    );
    expect(raced.filter((d) => d.outcome !== "consumed" && d.outcome !== "ignored")).toEqual([]);
    for (const reference of references) {
      const published = await publishedAbout(reference);
      // Placed and then voided, or never placed: either way nothing of it stays held.
      expect(published["FundHoldVoided.v1"]?.length ?? 0, reference).toBe(published["FundHoldPlaced.v1"]?.length ?? 0);
    }
    expect(await statementRow(p)).toMatchObject({ heldYen: 0, spentYen: 0, availableYen: BUDGET_YEN });

    const reference = newReference();
    await deliver(requested(p, reference, 500_000));
    const post = postRequested(reference, 400_000);
    const posts = await Promise.all([post, resent(post), resent(post)].map(deliver));
    expect(posts.map((d) => d.outcome).sort()).toEqual(["consumed", "ignored", "ignored"]);
    expect((await publishedAbout(reference))["FundHoldPosted.v1"]).toHaveLength(1);
    expect(await statementRow(p)).toMatchObject({ heldYen: 0, spentYen: 400_000 });
  });
});
