import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, ITEM_MAX_BYTES, itemSize, type WriteContext } from "@cdp/lambda-kit";
import { answer, httpEvent, lambdaContext, problemOfRefusal } from "@cdp/lambda-kit/testing";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { GiftInput, PRIVATE_INDIVIDUAL } from "../src/domain/gifts.ts";
import { aGiftInput, PRIVATE_GIVER } from "../src/domain/record-builders.ts";
import { table } from "../src/manifest.ts";
import { ProtocolRecords, thresholdFrom } from "../src/records.ts";

/**
 * The gift register on DynamoDB Local: declarations closed by their registration (once, however many try),
 * late registration, the overdue schedule, and the public view, which never names a private giver.
 */

const tableName = `protocol-gifts-${randomUUID()}`;
process.env[table.envVar] = tableName;
const raw = new DynamoDBClient({});
const client = createDocumentClient();
const records = new ProtocolRecords(client, tableName);
/** 10:00 in Tokyo on `date`. */
const on = (date: string): WriteContext => ({
  actor: "clerk-1",
  correlationId: `gifts-${date}`,
  now: new Date(`${date}T10:00:00+09:00`),
});
type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const handlers: Record<string, Handler> = {};

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
  // Handler modules read the table name when they are loaded: import them once it is set.
  for (const name of ["list-gifts", "get-gift", "get-gift-record", "flag-overdue-gifts"]) {
    handlers[name] = (await import(`../src/handlers/${name}.ts`)).handler as Handler;
  }
});

const declaration = (receivedOn: string, estimatedValueYen = 80_000) =>
  records.declareGift({ receivedOn, estimatedValueYen, summary: "A vase from the embassy" }, on(receivedOn));

const registration = (declarationId: string, date: string) => aGiftInput({ declarationId, date });

describe("registering a declared gift", () => {
  it("closes the declaration when the gift is registered, and lists it as registered", async () => {
    const declared = await declaration("2027-02-01");
    const pending = await records.listDeclarations({ status: "pending", overdue: false }, 100);
    expect(pending.items.map((d) => d.id)).toContain(declared.id);

    const gift = await records.registerGift(registration(declared.id, "2027-02-01"), on("2027-02-20"));

    expect(gift).toMatchObject({ declarationId: declared.id, registeredOn: "2027-02-20", registeredLate: false });
    const registered = await records.listDeclarations({ status: "registered", overdue: false }, 100);
    expect(registered.items.find((d) => d.id === declared.id)).toMatchObject({
      status: "registered",
      giftId: gift.id,
      version: 2,
    });
    const stillPending = await records.listDeclarations({ status: "pending", overdue: false }, 100);
    expect(stillPending.items.map((d) => d.id)).not.toContain(declared.id);
  });

  it("registers a declaration once when two clerks register it at the same moment", async () => {
    const declared = await declaration("2027-02-02");

    const outcomes = await Promise.allSettled([
      records.registerGift(registration(declared.id, "2027-02-02"), on("2027-02-10")),
      records.registerGift(registration(declared.id, "2027-02-02"), on("2027-02-10")),
    ]);

    const won = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    expect(won).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === "rejected");
    expect(await problemOfRefusal(Promise.reject(lost?.reason))).toMatchObject({
      status: 409,
      extensions: { currentStatus: "registered" },
    });
    const register = await records.gifts.listGifts({ from: "2027-02-02", to: "2027-02-02" }, undefined, 100);
    expect(register.items.filter((g) => g.declarationId === declared.id).map((g) => g.id)).toEqual([won[0]?.id]);
    expect(await records.gifts.getDeclaration(declared.id)).toMatchObject({ status: "registered", giftId: won[0]?.id });
  });

  it("marks a gift over the threshold registered after its 30 days as late, and one on day 30 as in time", async () => {
    const late = await declaration("2027-01-05");
    const inTime = await declaration("2027-01-06");
    const small = await declaration("2027-01-05", 50_000);

    const day31 = on("2027-02-05");
    const lateGift = await records.registerGift(registration(late.id, "2027-01-05"), day31);
    const inTimeGift = await records.registerGift(registration(inTime.id, "2027-01-06"), day31);
    const smallGift = await records.registerGift(
      { ...registration(small.id, "2027-01-05"), estimatedValueYen: 50_000 },
      day31,
    );

    expect([lateGift.registeredLate, inTimeGift.registeredLate, smallGift.registeredLate]).toEqual([
      true,
      false,
      false,
    ]);
    expect((await records.getGift(lateGift.id))?.registeredLate).toBe(true);
  });

  it("refuses an unknown declaration as not found", async () => {
    expect(
      await problemOfRefusal(records.registerGift(registration("no-such", "2027-01-05"), on("2027-02-05"))),
    ).toMatchObject({
      status: 404,
    });
  });
});

describe("the overdue schedule", () => {
  const overdueTable = `protocol-gifts-overdue-${randomUUID()}`;
  const office = new ProtocolRecords(client, overdueTable);
  const listed = async (status: "pending" | "registered" = "pending") =>
    (await office.listDeclarations({ status, overdue: true }, 100)).items.map((d) => d.id);
  const declare = (receivedOn: string, estimatedValueYen: number) =>
    office.declareGift({ receivedOn, estimatedValueYen, summary: "From a visitor" }, on("2027-04-01"));

  beforeAll(async () => {
    await ensureTable(raw, overdueTable, table);
  });

  it("flags exactly the pending receipts over the threshold past their 30 days, once however often it runs", async () => {
    const day31 = await declare("2027-03-01", 80_000);
    const day30 = await declare("2027-03-02", 80_000);
    await declare("2027-01-15", 50_000);
    const old = await declare("2027-01-15", 50_001);
    const registered = await declare("2027-01-10", 90_000);
    await office.registerGift(registration(registered.id, "2027-01-10"), on("2027-04-01"));

    expect(await office.flagOverdueGifts(on("2027-04-01"))).toEqual({ flagged: [old.id, day31.id] });
    expect((await listed()).sort()).toEqual([old.id, day31.id].sort());
    expect(await office.flagOverdueGifts(on("2027-04-01"))).toEqual({ flagged: [] });
    expect((await listed()).sort()).toEqual([old.id, day31.id].sort());
    expect(await office.gifts.getDeclaration(old.id)).toMatchObject({ overdueSince: "2027-04-01", version: 2 });

    // The next day the receipt of March 2 is overdue too; a registration takes one off the list, marked late.
    expect(await office.flagOverdueGifts(on("2027-04-02"))).toEqual({ flagged: [day30.id] });
    const gift = await office.registerGift(registration(day31.id, "2027-03-01"), on("2027-04-02"));
    expect(gift.registeredLate).toBe(true);
    expect((await listed()).sort()).toEqual([old.id, day30.id].sort());
    expect(await listed("registered")).toEqual([day31.id]);
  });

  it("flags by the threshold configured in GIFT_REGISTRATION_THRESHOLD_YEN", async () => {
    await declare("2027-03-10", 900_000);
    const strict = new ProtocolRecords(client, overdueTable, thresholdFrom("1000000"));
    expect(await strict.flagOverdueGifts(on("2027-05-01"))).toEqual({ flagged: [] });
    expect(thresholdFrom(undefined)).toBe(50_000);
    expect(() => thresholdFrom("50,000")).toThrow(/GIFT_REGISTRATION_THRESHOLD_YEN/);
  });

  it("runs as the scheduled function, on the day of its scheduled time in Tokyo", async () => {
    const old = await declaration("2026-10-01");
    const run = (await handlers["flag-overdue-gifts"]?.(
      { scheduledTime: "2026-11-01T00:00:00Z" },
      lambdaContext(),
    )) as unknown as { flagged: string[] };
    expect(run.flagged).toContain(old.id);
    expect((await records.gifts.getDeclaration(old.id))?.overdueSince).toBe("2026-11-01");
  });
});

describe("the register's public view", () => {
  const get = (name: string, options: Parameters<typeof httpEvent>[0]) =>
    handlers[name]?.(httpEvent(options), lambdaContext()) ?? Promise.reject(new Error(`no handler ${name}`));

  it("never names a private giver, in the list or the gift, while the office's record does", async () => {
    const label = { ja: "松平清姫氏（清姫漆工房）", en: `${PRIVATE_GIVER.name}, ${PRIVATE_GIVER.affiliation}` };
    const gift = await records.registerGift(
      aGiftInput({ counterpart: PRIVATE_GIVER, counterpartLabel: label, date: "2026-06-01" }),
      on("2026-06-02"),
    );
    const secrets = [PRIVATE_GIVER.name, PRIVATE_GIVER.affiliation, label.ja, label.en, "Matsudaira", "松平", "清姫"];

    const list = answer(
      await get("list-gifts", { path: "/gifts", query: { from: "2026-06-01", to: "2026-06-30" }, groups: "[viewer]" }),
    );
    const one = answer(
      await get("get-gift", { path: `/gifts/${gift.id}`, pathParameters: { id: gift.id }, groups: "[viewer]" }),
    );

    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ id: gift.id, counterpart: { kind: "person" }, counterpartLabel: PRIVATE_INDIVIDUAL }),
    );
    expect(one.body).toMatchObject({ id: gift.id, counterpartLabel: PRIVATE_INDIVIDUAL });
    for (const published of [JSON.stringify(list.body), JSON.stringify(one.body)]) {
      for (const secret of secrets) expect(published).not.toContain(secret);
      expect(published).not.toContain("custodian");
    }
    const record = (groups: string) =>
      get("get-gift-record", { path: `/gifts/${gift.id}/record`, pathParameters: { id: gift.id }, groups });
    expect(answer(await record("[protocol]")).body.counterpart).toEqual(PRIVATE_GIVER);
    expect((await record("[viewer]")).statusCode).toBe(403);
  });

  it("lists a period by date, of one direction when asked", async () => {
    const given = await records.registerGift(
      aGiftInput({ direction: "given", disposition: undefined, date: "2025-03-03" }),
      on("2025-03-04"),
    );
    const received = await records.registerGift(aGiftInput({ date: "2025-03-01" }), on("2025-03-04"));
    const period = { from: "2025-01-01", to: "2025-12-31" };

    expect((await records.listGifts(period, 10)).items.map((g) => g.id)).toEqual([received.id, given.id]);
    expect((await records.listGifts({ ...period, direction: "given" }, 10)).items.map((g) => g.id)).toEqual([given.id]);
  });

  it("lists, without a period, from January five years back to the end of next year", async () => {
    const [tooOld, oldest] = await Promise.all(
      ["2016-12-31", "2017-01-01"].map((date) => records.registerGift(aGiftInput({ date }), on(date))),
    );

    const ids = (await records.listGifts({}, 100, undefined, new Date("2022-06-01T00:00:00Z"))).items.map((g) => g.id);

    expect(ids).toContain(oldest?.id);
    expect(ids).not.toContain(tooOld?.id);
  });
});

describe("changing a gift", () => {
  it("moves a received gift between display and store, to the museum once, and refuses a stale version", async () => {
    const gift = await records.registerGift(aGiftInput({ date: "2027-03-01" }), on("2027-03-02"));

    const stored = await records.changeGiftDisposition(gift.id, "stored", 1, on("2027-03-05"));
    const museum = await records.changeGiftDisposition(gift.id, "transferred-to-museum", undefined, on("2027-04-01"));

    expect(stored).toMatchObject({ disposition: "stored", dispositionChangedOn: "2027-03-05", version: 2 });
    expect(museum).toMatchObject({ disposition: "transferred-to-museum", version: 3 });
    expect(
      await problemOfRefusal(records.changeGiftDisposition(gift.id, "on-display", 3, on("2027-04-02"))),
    ).toMatchObject({
      status: 409,
    });
    const description = { ja: "セーヴル焼の青い花瓶", en: "A blue Sèvres vase" };
    expect(await problemOfRefusal(records.editGift(gift.id, { description }, 1, on("2027-04-02")))).toMatchObject({
      status: 412,
    });
    expect(await records.editGift(gift.id, { description }, 3, on("2027-04-02"))).toMatchObject({
      description,
      version: 4,
    });
  });

  it("registers and edits the largest gift allowed, from its declaration, each in one write", async () => {
    const longest = { ja: "漆".repeat(500), en: "x".repeat(500) };
    const declared = await records.declareGift(
      { receivedOn: "2027-05-01", estimatedValueYen: Number.MAX_SAFE_INTEGER, summary: "漆".repeat(300) },
      on("2027-05-01"),
    );
    const input = aGiftInput({
      counterpart: { kind: "person", name: "氏".repeat(200), affiliation: "所".repeat(200) },
      counterpartLabel: longest,
      occasion: longest,
      description: longest,
      date: "2027-05-01",
      estimatedValueYen: Number.MAX_SAFE_INTEGER,
      custodian: "管".repeat(200),
      declarationId: declared.id,
    });
    expect(GiftInput.safeParse(input).success).toBe(true);

    const gift = await records.registerGift(input, on("2027-05-02"));
    const edited = await records.editGift(
      gift.id,
      { occasion: longest, custodian: "管".repeat(200) },
      1,
      on("2027-05-03"),
    );

    expect(edited.version).toBe(2);
    expect(itemSize(edited)).toBeLessThan(ITEM_MAX_BYTES);
    expect(await records.getGiftRecord(gift.id)).toEqual(edited);
  });
});
