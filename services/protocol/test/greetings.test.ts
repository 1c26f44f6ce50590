import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, orRefuse, type WriteContext } from "@cdp/lambda-kit";
import { lambdaContext, problemOfRefusal } from "@cdp/lambda-kit/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { type Mission, MissionInput, registerMission, updateMission } from "../src/domain/missions.ts";
import { aContact } from "../src/domain/record-builders.ts";
import { table } from "../src/manifest.ts";
import { ProtocolRecords } from "../src/records.ts";
import { stampOf } from "../src/stamps.ts";

/**
 * National-day greetings on DynamoDB Local: the daily schedule drafts the day before and releases on the day,
 * each once however often it runs; what is sent is the text as edited and approved; an approval on the day
 * itself sends at once; a mission without contacts gets nothing.
 */

const tableName = `protocol-greetings-${randomUUID()}`;
process.env[table.envVar] = tableName;
const raw = new DynamoDBClient({});
const records = new ProtocolRecords(createDocumentClient(), tableName);
/** `hh`:00 in Tokyo on `date`. */
const at = (date: string, hh = "08"): WriteContext => ({
  actor: "chief-of-protocol",
  correlationId: `greetings-${date}`,
  now: new Date(`${date}T${hh}:00:00+09:00`),
});
const run = (date: string) => records.runNationalDays({ ...at(date), actor: "schedule:national-days" });

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
});

/** A mission whose national day is `monthDay` every year. */
async function mission(id: string, monthDay: string, overrides: Partial<MissionInput> = {}): Promise<Mission> {
  const input = MissionInput.parse({
    id,
    country: "FR",
    kind: "embassy",
    name: { ja: `${id}大使館`, en: `Embassy ${id}` },
    contacts: [aContact(1), aContact(2)],
    nationalDay: { kind: "fixed", monthDay, occasion: { ja: "建国記念日", en: "National Day" } },
    ...overrides,
  });
  const context = at("2027-01-04");
  return records.missions.commit(orRefuse(registerMission(null, input, stampOf(context))), context);
}

/** The greetings released to Notifications, as the outbox holds them. */
async function released(greetingId: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await DynamoDBDocumentClient.from(raw).send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: "begins_with(pk, :outbox) AND detailType = :type",
      ExpressionAttributeValues: { ":outbox": "OUTBOX#", ":type": "NationalDayGreetingReleased.v1" },
    }),
  );
  return Items.map((item) => JSON.parse(String(item.detail)) as Record<string, unknown>).filter(
    (detail) => detail.greetingId === greetingId,
  );
}

describe("the national-days schedule", () => {
  it("drafts the day before, once however often it runs, and only for missions with contacts", async () => {
    await mission("embassy-of-avalon", "07-14");
    await mission("embassy-of-nowhere", "07-14", { contacts: [] });

    const first = await run("2027-07-13");
    const second = await run("2027-07-13");

    expect(first.drafted).toEqual(["embassy-of-avalon-2027"]);
    expect(second.drafted).toEqual([]);
    const greetings = await records.listGreetings({ from: "2027-07-14", to: "2027-07-14" }, 10);
    expect(greetings.items).toEqual([
      expect.objectContaining({ greetingId: "embassy-of-avalon-2027", status: "drafted", draftedOn: "2027-07-13" }),
    ]);
  });

  it("releases on the day as drafted when nobody reviewed it, once however often it runs", async () => {
    await mission("embassy-of-bergen", "07-20");
    await run("2027-07-19");

    const first = await run("2027-07-20");
    const second = await run("2027-07-20");

    expect(first.released).toEqual(["embassy-of-bergen-2027"]);
    expect(second.released).toEqual([]);
    const events = await released("embassy-of-bergen-2027");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      missionId: "embassy-of-bergen",
      nationalDay: "2027-07-20",
      recipients: [aContact(1), aContact(2)],
    });
    expect(await records.greetings.get("embassy-of-bergen-2027")).toMatchObject({ status: "released", version: 2 });
  });

  it("sends the text as edited and approved, and refuses to edit it once approved", async () => {
    await mission("embassy-of-corvo", "08-01");
    await run("2027-07-31");
    const id = "embassy-of-corvo-2027";
    const message = {
      ja: "貴国の建国記念日を心よりお祝いいたします。\n東京都知事",
      en: "Warm congratulations.\nGovernor of Tokyo",
    };

    const edited = await records.editGreeting(id, { message }, 1, at("2027-07-31", "11"));
    const approved = await records.approveGreeting(id, 2, at("2027-07-31", "15"));
    expect(approved).toMatchObject({ status: "approved", approvedBy: "chief-of-protocol", message, version: 3 });
    expect(
      await problemOfRefusal(records.editGreeting(id, { message: edited.subject }, 3, at("2027-07-31", "16"))),
    ).toMatchObject({
      status: 409,
    });

    expect((await run("2027-08-01")).released).toEqual([id]);
    const [event] = await released(id);
    expect(event).toMatchObject({ message, subject: edited.subject });
  });

  it("releases a greeting approved on the day itself at once, and the day's run does not send it again", async () => {
    await mission("embassy-of-dorne", "09-01");
    await run("2027-08-31");
    const id = "embassy-of-dorne-2027";

    const approved = await records.approveGreeting(id, undefined, at("2027-09-01", "07"));

    expect(approved).toMatchObject({ status: "released", approvedBy: "chief-of-protocol", version: 3 });
    expect(await released(id)).toHaveLength(1);
    expect((await run("2027-09-01")).released).toEqual([]);
    expect(await released(id)).toHaveLength(1);
    expect(await problemOfRefusal(records.approveGreeting(id, undefined, at("2027-09-01", "09")))).toMatchObject({
      status: 409,
      extensions: { currentStatus: "released" },
    });
  });

  it("sends nothing to a mission left without contacts after its greeting was drafted", async () => {
    const drafted = await mission("embassy-of-elbonia", "10-10");
    await run("2027-10-09");
    const context = at("2027-10-09", "12");
    const decision = orRefuse(updateMission(drafted, { contacts: [] }, 1, stampOf(context)));
    await records.missions.commit(decision, context);

    const onTheDay = await run("2027-10-10");

    expect(onTheDay.released).toEqual([]);
    expect(onTheDay.skipped).toContainEqual({ greetingId: "embassy-of-elbonia-2027", reason: "no-contacts" });
    expect(await released("embassy-of-elbonia-2027")).toEqual([]);
    expect(await records.greetings.get("embassy-of-elbonia-2027")).toMatchObject({ status: "drafted" });
  });

  it("runs as the scheduled function, on the dates of its scheduled time in Tokyo", async () => {
    await mission("embassy-of-freedonia", "11-02");
    const { handler } = await import("../src/handlers/national-days.ts");

    // 23:00 UTC on October 31 is 08:00 on November 1 in Tokyo: the day before.
    const result = await handler({ scheduledTime: "2027-10-31T23:00:00Z" }, lambdaContext());

    expect(result.drafted).toEqual(["embassy-of-freedonia-2027"]);
  });

  it("releases the largest greeting, to the most contacts, in one write", async () => {
    const longest = { ja: "祝".repeat(500), en: "x".repeat(500) };
    const contacts = Array.from({ length: 10 }, (_, n) =>
      aContact(n, {
        name: longest,
        role: "r".repeat(200),
        email: `${"o".repeat(60)}${n}@${"e".repeat(60)}.example.org`,
      }),
    );
    await mission("embassy-of-genovia", "12-01", { contacts, name: longest });
    await run("2027-11-30");
    const id = "embassy-of-genovia-2027";
    await records.editGreeting(id, { subject: longest, message: longest }, 1, at("2027-11-30", "10"));

    expect((await run("2027-12-01")).released).toEqual([id]);
    const [event] = await released(id);
    expect(event).toMatchObject({ subject: longest, message: longest, missionName: longest });
    expect(event?.recipients).toHaveLength(10);
  });
});
