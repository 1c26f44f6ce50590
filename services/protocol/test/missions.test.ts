import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, type WriteContext } from "@cdp/lambda-kit";
import { answer, httpEvent, lambdaContext, problemOfRefusal } from "@cdp/lambda-kit/testing";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { CourtesyCalls } from "../src/calls.ts";
import { aMissionInput } from "../src/domain/call-builders.ts";
import { SEED_MISSIONS } from "../src/domain/seed-missions.ts";
import { table } from "../src/manifest.ts";

/** Missions in Tokyo on DynamoDB Local, through their use cases, the seed and the routes every reader uses. */

const tableName = `protocol-missions-${randomUUID()}`;
process.env[table.envVar] = tableName;
const raw = new DynamoDBClient({});
const office = new CourtesyCalls(createDocumentClient(), tableName);
const context: WriteContext = { actor: "protocol-1", correlationId: "missions", now: new Date("2027-02-01T01:00:00Z") };
const later: WriteContext = { ...context, now: new Date("2027-02-02T01:00:00Z") };

const CONTACT = {
  name: { ja: "オリヴィア・クエンビー", en: "Olivia Quenby-Marsh" },
  role: "Protocol officer",
  email: "olivia.quenby@embassy.example",
  preferredLanguage: "en" as const,
};

type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const handlers: Record<string, Handler> = {};

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
  // Handler modules read the table name when loaded: imported once it is set.
  for (const name of ["get-mission", "get-mission-contacts", "update-mission"]) {
    handlers[name] = (await import(`../src/handlers/${name}.ts`)).handler as Handler;
  }
});

describe("missions on DynamoDB Local", () => {
  it("registers a mission and reads it back as registered", async () => {
    const registered = await office.registerMission(aMissionInput({ id: "embassy-nz", country: "NZ" }), context);
    expect(registered).toMatchObject({ id: "embassy-nz", version: 1, address: null, headOfMission: null });
    expect(await office.missions.get("embassy-nz")).toEqual(registered);
  });

  it("refuses a second registration of the same id, also when both are sent at once", async () => {
    const input = aMissionInput({ id: "embassy-ca", country: "CA", partnerIds: [] });
    const outcomes = await Promise.allSettled([
      office.registerMission(input, context),
      office.registerMission(input, context),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(await problemOfRefusal(office.registerMission(input, later))).toMatchObject({
      status: 409,
      extensions: { currentStatus: "registered", missionId: "embassy-ca" },
    });
    expect((await office.missions.get("embassy-ca"))?.version).toBe(1);
  });

  it("updates on the version read, on the current one without If-Match, and refuses a stale version", async () => {
    await office.registerMission(aMissionInput({ id: "embassy-ie", country: "IE", partnerIds: [] }), context);
    const head = { name: { ja: "大使", en: "Ambassador Q" }, title: { ja: "大使", en: "Ambassador" } };
    const first = await office.updateMission("embassy-ie", { headOfMission: head }, 1, later);
    expect(first).toMatchObject({ version: 2, headOfMission: head, updatedAt: later.now.toISOString() });
    expect(await problemOfRefusal(office.updateMission("embassy-ie", { headOfMission: null }, 1, later))).toMatchObject(
      { status: 412, extensions: { currentVersion: 2 } },
    );
    const second = await office.updateMission("embassy-ie", { headOfMission: null }, undefined, later);
    expect(second).toMatchObject({ version: 3, headOfMission: null });
    expect(await problemOfRefusal(office.updateMission("embassy-xx", { headOfMission: null }, 1, later))).toMatchObject(
      { status: 404 },
    );
  });

  it("lists missions by country and by the partner they relate to, a page at a time", async () => {
    await office.registerMission(aMissionInput({ id: "embassy-ch", country: "CH", partnerIds: ["geneva"] }), context);
    await office.registerMission(
      aMissionInput({ id: "consulate-ch-osaka", country: "CH", kind: "consulate-general", partnerIds: [] }),
      context,
    );
    await office.registerMission(aMissionInput({ id: "embassy-at", country: "AT", partnerIds: ["geneva"] }), context);
    const swiss = await office.missions.list({ country: "CH" }, 10);
    expect(swiss.items.map((mission) => mission.id)).toEqual(["consulate-ch-osaka", "embassy-ch"]);
    const embassies = await office.missions.list({ country: "CH", kind: "embassy" }, 10);
    expect(embassies.items.map((mission) => mission.id)).toEqual(["embassy-ch"]);
    const ofGeneva = await office.missions.list({ partnerId: "geneva" }, 1);
    const rest = await office.missions.list({ partnerId: "geneva" }, 10, ofGeneva.nextCursor ?? undefined);
    expect([...ofGeneva.items, ...rest.items].map((mission) => mission.id)).toEqual(["embassy-at", "embassy-ch"]);
  });

  it("shows every reader a mission without its contacts, which only the protocol office reads", async () => {
    await office.registerMission(
      aMissionInput({ id: "embassy-dk", country: "DK", partnerIds: [], contacts: [CONTACT] }),
      context,
    );
    const get = (name: string, groups: string, path: string) =>
      handlers[name]?.(httpEvent({ path, groups, pathParameters: { id: "embassy-dk" } }), lambdaContext());
    const seen = answer((await get("get-mission", "[viewer]", "/missions/embassy-dk")) ?? {});
    expect(seen).toMatchObject({ status: 200, headers: { etag: '"1"' }, body: { id: "embassy-dk" } });
    expect(JSON.stringify(seen.body)).not.toContain(CONTACT.email);
    expect(seen.body).not.toHaveProperty("contacts");
    const contacts = answer((await get("get-mission-contacts", "[protocol]", "/missions/embassy-dk/contacts")) ?? {});
    expect(contacts).toMatchObject({ status: 200, body: { missionId: "embassy-dk", contacts: [CONTACT] } });
    const refused = answer((await get("get-mission-contacts", "[viewer]", "/missions/embassy-dk/contacts")) ?? {});
    expect(refused.status).toBe(403);
  });

  it("takes If-Match on an update when sent: a stale one is 412, none applies to the current version", async () => {
    await office.registerMission(aMissionInput({ id: "embassy-fi", country: "FI", partnerIds: [] }), context);
    const patch = (headers: Record<string, string>, address: string) =>
      handlers["update-mission"]?.(
        httpEvent({
          method: "PATCH",
          path: "/missions/embassy-fi",
          groups: "[protocol]",
          pathParameters: { id: "embassy-fi" },
          headers,
          body: { address: { ja: address, en: address } },
        }),
        lambdaContext(),
      );
    expect(answer((await patch({ "if-match": '"1"' }, "Minato 1")) ?? {})).toMatchObject({
      status: 200,
      headers: { etag: '"2"' },
    });
    expect(answer((await patch({ "if-match": '"1"' }, "Minato 2")) ?? {}).status).toBe(412);
    expect(answer((await patch({}, "Minato 3")) ?? {})).toMatchObject({ status: 200, body: { version: 3 } });
  });

  it("seeds the embassies once: a second run adds none and leaves what the office changed", async () => {
    const { seed } = await import("../src/seed.ts");
    expect(await seed({ now: context.now })).toBe(
      `${SEED_MISSIONS.length} missions registered (${SEED_MISSIONS.length} in the seed)`,
    );
    const address = { ja: "港区", en: "Minato" };
    await office.updateMission("embassy-fr", { address }, undefined, later);
    expect(await seed({ now: later.now })).toBe(`0 missions registered (${SEED_MISSIONS.length} in the seed)`);
    expect(await office.missions.get("embassy-fr")).toMatchObject({ version: 2, address });
    const french = await office.missions.list({ country: "FR" }, 10);
    expect(french.items.map((mission) => mission.partnerIds)).toEqual([["paris", "french-alps"]]);
  });
});
