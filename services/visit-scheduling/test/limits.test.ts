import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import {
  createDocumentClient,
  ITEM_MAX_BYTES,
  itemSize,
  orRefuse,
  TRANSACTION_MAX_ACTIONS,
  TRANSACTION_MAX_BYTES,
  type WriteContext,
} from "@cdp/lambda-kit";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../src/domain/dates.ts";
import { approveVisit, cancelVisit, editVisit, proposeVisit } from "../src/domain/decide-visit.ts";
import {
  ConferenceInput,
  MAX_VISIT_DAYS,
  PlanSettingsInput,
  VISIT_LIMITS,
  VisitInput,
  VisitPatch,
} from "../src/domain/model.ts";
import { table } from "../src/manifest.ts";
import { personalKey, visitKey } from "../src/store/keys.ts";
import { VisitScheduling } from "../src/use-cases.ts";
import {
  bilingual,
  largestVisit,
  MAX_CONFERENCE_VISITS,
  MAX_REASON,
  MAX_TEXT,
  MAX_YEN,
  smallVisit,
  text,
} from "./largest.ts";

/**
 * Every write route at its largest allowed input, against DynamoDB Local: each is one transaction
 * within DynamoDB's limits (100 actions and 4 MB; 400 KB an item), counted before it is sent and then
 * written for real. (One step past a maximum: `limits-refused.test.ts`.)
 */

const tableName = `visit-scheduling-limits-${randomUUID()}`;
const raw = new DynamoDBClient({});
const documents = createDocumentClient();
const scheduling = new VisitScheduling(documents, tableName);
const context: WriteContext = { actor: "protocol-officer", correlationId: "limits", now: new Date() };
const newIds = { now: context.now, newId: randomUUID };

/** A visit's facet copies at most: all, status, direction, each partner, governor. */
const MAX_FACETS = 4 + VISIT_LIMITS.partners;
/**
 * A write of the largest visit (the visit and 14 copies of it, about 3.8 MB) took about 5 s on
 * DynamoDB Local on a busy two-core machine (load 14); a test gets three times that per such write.
 */
const LARGEST_WRITE_MS = 15_000;

async function storedItem(key: { pk: string; sk: string }): Promise<Record<string, unknown>> {
  const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  if (!Item) throw new Error(`no item ${key.pk} ${key.sk}`);
  return Item;
}

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
});

describe("every write route at its largest input", () => {
  it("proposes, edits, approves, confirms and completes the largest visit, each in one transaction", {
    timeout: 5 * LARGEST_WRITE_MS,
  }, async () => {
    const input = largestVisit("2040-01-01", "a");
    expect(VisitInput.safeParse(input).success).toBe(true);
    const proposing = await scheduling.visits.transactionOf(orRefuse(proposeVisit(input, newIds)), context);
    // The visit, the personal data, every facet copy, the audit entry.
    expect(proposing.size).toBe(1 + 1 + MAX_FACETS + 1);
    proposing.assertWithinLimits();
    const visit = await scheduling.propose(input, context);

    // The largest items: the visit (a facet copy is the visit and a few key attributes) and the
    // delegates' personal data. The visit and every copy, with the personal data, fit in 4 MB with 5% to spare.
    const visitBytes = itemSize(await storedItem(visitKey(visit.id)));
    const personalBytes = itemSize(await storedItem(personalKey(visit.id)));
    expect(visitBytes).toBeLessThan(ITEM_MAX_BYTES);
    expect(personalBytes).toBeLessThan(ITEM_MAX_BYTES);
    const cancelledVisitBytes = visitBytes + itemSize(text(MAX_REASON));
    expect((1 + MAX_FACETS) * (cancelledVisitBytes + 200) + personalBytes).toBeLessThan(TRANSACTION_MAX_BYTES * 0.95);
    // Read back whole: nothing was cut.
    expect(await scheduling.visits.get(visit.id)).toEqual(visit);
    const members = await scheduling.visits.members(visit.id);
    expect(members?.[VISIT_LIMITS.members - 1]?.personal.medicalNotes).toBe(text(VISIT_LIMITS.notesLength));

    // An edit replacing every field at its maximum and moving every facet: ten other partners, the other direction.
    const patch = VisitPatch.parse({ ...largestVisit("2040-01-01", "b"), direction: "inbound" });
    const editing = await scheduling.visits.transactionOf(
      orRefuse(editVisit(visit, { visitId: visit.id, patch, expectedVersion: 1 }, newIds)),
      context,
    );
    // The visit, the personal data, every copy, the dropped copies (10 partners, a direction), the audit entry.
    expect(editing.size).toBe(1 + 1 + MAX_FACETS + VISIT_LIMITS.partners + 1 + 1);
    editing.assertWithinLimits();
    const edited = await scheduling.edit(visit.id, patch, 1, context);
    expect(edited).toMatchObject({ direction: "inbound", version: 2 });

    // A head-level approval of MAX_VISIT_DAYS days: the service's largest transaction.
    const approving = await scheduling.visits.transactionOf(
      orRefuse(approveVisit(edited, { action: "approve", visitId: visit.id }, [], context.now)),
      context,
    );
    // The days taken, the visit, every copy, the dropped status copy, the audit entry, the event.
    const approvalActions = MAX_VISIT_DAYS + 1 + MAX_FACETS + 1 + 1 + 1;
    expect(approvalActions).toBe(78);
    expect(approvalActions).toBeLessThanOrEqual(TRANSACTION_MAX_ACTIONS);
    expect(approving.size).toBe(approvalActions);
    approving.assertWithinLimits();
    expect((await scheduling.transition({ action: "approve", visitId: visit.id }, context)).status).toBe("approved");

    await scheduling.transition({ action: "confirm", visitId: visit.id }, context);
    const completed = await scheduling.transition(
      { action: "complete", visitId: visit.id, actualCostYen: MAX_YEN },
      context,
    );
    expect(completed).toMatchObject({ status: "completed", actualCostYen: MAX_YEN, version: 5 });
  });

  it("cancels the largest approved visit with the longest reason, giving back every day", {
    timeout: 3 * LARGEST_WRITE_MS,
  }, async () => {
    const visit = await scheduling.propose(largestVisit("2040-07-01", "c"), context);
    const approved = await scheduling.transition({ action: "approve", visitId: visit.id }, context);
    const command = { action: "cancel", visitId: visit.id, reason: text(MAX_REASON) } as const;
    const cancelling = await scheduling.visits.transactionOf(
      orRefuse(cancelVisit(approved, command, context.now)),
      context,
    );
    // The visit, every copy, the dropped status copy, the days given back, the audit entry, the event.
    expect(cancelling.size).toBe(1 + MAX_FACETS + 1 + MAX_VISIT_DAYS + 1 + 1);
    cancelling.assertWithinLimits();
    expect((await scheduling.transition(command, context)).status).toBe("cancelled");
    // Every day is free again: the governor's courtesy call on the last one is approved.
    const lastDay = addDays("2040-07-01", MAX_VISIT_DAYS - 1);
    const courtesyCall = await scheduling.propose(
      { ...smallVisit(lastDay), delegationHead: { ...largestVisit(lastDay, "d").delegationHead } },
      context,
    );
    const approvedAgain = await scheduling.transition({ action: "approve", visitId: courtesyCall.id }, context);
    expect(approvedAgain.status).toBe("approved");
  });

  it("records a conference linking the most visits, with the longest names", async () => {
    const visits = [];
    for (let n = 0; n < MAX_CONFERENCE_VISITS; n++) {
      visits.push(await scheduling.propose(smallVisit(addDays("2041-01-01", n)), context));
    }
    const input = ConferenceInput.parse({
      name: bilingual(MAX_TEXT),
      city: { name: bilingual(MAX_TEXT) },
      startDate: "2041-01-01",
      endDate: "2041-01-20",
      role: "bid",
      bidDeadline: "2040-12-01",
      visitIds: visits.map((v) => v.id),
    });
    const conference = await scheduling.createConference(input, context);
    expect(conference.visitIds).toEqual(visits.map((v) => v.id));
    const page = await scheduling.conferences.list({ from: "2041-01-01", to: "2041-01-31" }, 10);
    expect(page.items).toEqual([conference]);
  });

  it("sets a plan at its largest caps, twice", async () => {
    const settings = PlanSettingsInput.parse({ tripCap: 20, travelBudgetYen: MAX_YEN });
    await scheduling.setPlan(2040, settings, context);
    await scheduling.setPlan(2040, settings, context);
    expect((await scheduling.plans.plan(2040)).settings).toEqual(settings);
    expect((await scheduling.plans.settings(2040))?.version).toBe(2);
  });
});
