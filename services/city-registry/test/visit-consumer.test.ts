import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { eventBridgeEvent, eventMetadata, lambdaContext } from "@cdp/lambda-kit/testing";
import type { Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { table } from "../src/manifest.ts";
import type { RegistryReads } from "../src/store/registry-reads.ts";
import type { RegistryStore } from "../src/store/registry-store.ts";

/** The VisitCompleted consumer, as EventBridge invokes it, on DynamoDB Local. */

const tableName = `city-registry-consumer-${randomUUID()}`;
process.env[table.envVar] = tableName;
const raw = new DynamoDBClient({});
const documents = DynamoDBDocumentClient.from(raw);

let consume: (event: unknown, context: Context) => Promise<unknown>;
let store: RegistryStore;
let reads: RegistryReads;

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
  // The handler's module reads the table name when loaded: import it once it is set.
  consume = (await import("../src/handlers/on-visit-completed.ts")).handler;
  ({ store, reads } = await import("../src/handlers/shared.ts"));
});

const context = { actor: "test", correlationId: "consumer-test", now: new Date("2026-11-28T01:00:00Z") };

const visitCompleted = (detail: {
  visitId: string;
  partnerIds: string[];
  direction: "outbound" | "inbound";
  endDate: string;
}) =>
  eventBridgeEvent("tmg.visit-scheduling", "VisitCompleted.v1", {
    ...detail,
    leaderLevel: "head",
    startDate: detail.endDate,
    metadata: eventMetadata(),
  });

async function registered(id: string) {
  await store.createPartner(
    {
      id,
      name: { ja: id, en: id },
      kind: "city",
      country: "VN",
      worldRegion: "southeast-asia",
      categories: [],
      cooperationAreas: [],
      contacts: [],
    },
    context,
  );
}

async function establishedEvents(partnerId: string): Promise<number> {
  const { Items } = await documents.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: "detailType = :type AND contains(detail, :partner)",
      ExpressionAttributeValues: { ":type": "RelationEstablished.v1", ":partner": `"partnerId":"${partnerId}"` },
    }),
  );
  return Items?.length ?? 0;
}

describe("recording completed visits from VisitCompleted events", () => {
  it("records the visit for every known partner, skipping an unknown one (ignored, not dead-lettered)", async () => {
    await registered("da-nang");
    const result = await consume(
      visitCompleted({
        visitId: "v-skip",
        partnerIds: ["atlantis", "da-nang"],
        direction: "outbound",
        endDate: "2026-06-04",
      }),
      lambdaContext(),
    );
    expect(result).toMatchObject({ ignored: "not-found" });
    expect((await reads.getPartner("da-nang"))?.version).toBe(2);
  });

  it("ignores a visit already recorded, whatever event brings it again, and announces the relation once", async () => {
    await registered("hue");
    const outbound = visitCompleted({
      visitId: "v-out",
      partnerIds: ["hue"],
      direction: "outbound",
      endDate: "2026-06-04",
    });
    const inbound = { visitId: "v-in", partnerIds: ["hue"], direction: "inbound" as const, endDate: "2026-09-12" };
    expect(await consume(outbound, lambdaContext())).toEqual({ consumed: expect.any(String) });
    expect(await consume(visitCompleted(inbound), lambdaContext())).toEqual({ consumed: expect.any(String) });
    const settled = await reads.getPartner("hue");
    expect(settled?.established).toEqual({ on: "2026-09-12", basis: "reciprocal-visits" });

    // The same visit in a new event (a new eventId): refused as recorded, which this consumer ignores.
    expect(await consume(visitCompleted(inbound), lambdaContext())).toMatchObject({ ignored: "conflict" });
    // The same event again (same eventId): the kit's idempotency answers with the first result.
    expect(await consume(outbound, lambdaContext())).toEqual({ consumed: expect.any(String) });
    expect((await reads.getPartner("hue"))?.version).toBe(settled?.version);
    expect(await establishedEvents("hue")).toBe(1);
  });
});
