import { randomUUID } from "node:crypto";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, problemOf, Refused, type WriteContext } from "@cdp/lambda-kit";
import { beforeAll, describe, expect, it } from "vitest";
import type { PartnerInput } from "../src/domain/model.ts";
import { table } from "../src/manifest.ts";
import { RegistryReads } from "../src/store/registry-reads.ts";
import { RegistryStore } from "../src/store/registry-store.ts";

const tableName = `city-registry-store-${randomUUID()}`;
const raw = new DynamoDBClient({});
const store = new RegistryStore(createDocumentClient(), tableName);
const reads = new RegistryReads(createDocumentClient(), tableName);
const context = (now = "2026-11-28T01:00:00Z"): WriteContext => ({
  actor: "user-1",
  correlationId: "test",
  now: new Date(now),
});

const partner = (id: string, extra: Partial<PartnerInput> = {}): PartnerInput => ({
  id,
  name: { ja: id, en: id },
  kind: "city",
  country: "US",
  worldRegion: "north-america",
  categories: [],
  cooperationAreas: [],
  contacts: [],
  ...extra,
});

/** The refusal a write was rejected with, and the problem+json status the HTTP kit gives it. */
async function refusalOf(write: Promise<unknown>) {
  const error = await write.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Refused)) throw new Error(`expected a refusal, got ${String(error)}`);
  const problem = problemOf(error.refusal);
  return { ...error.refusal, status: problem.status, extensions: problem.extensions };
}

async function outboxTypes(): Promise<string[]> {
  const { Items } = await raw.send(new ScanCommand({ TableName: tableName }));
  return (Items ?? []).filter((i) => i.pk?.S?.startsWith("OUTBOX#")).map((i) => String(i.detailType?.S));
}

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
});

describe("registry store on DynamoDB Local", () => {
  it("registers a partner once and refuses the same id with 409, writing the event with it", async () => {
    await store.createPartner(partner("los-angeles"), context());
    expect(await refusalOf(store.createPartner(partner("los-angeles"), context()))).toMatchObject({
      kind: "conflict",
      status: 409,
      extensions: { currentStatus: "prospect", partnerId: "los-angeles" },
    });
    expect((await outboxTypes()).filter((t) => t === "PartnerRegistered.v1")).toHaveLength(1);
  });

  it("refuses a stale update with 412 and the current version", async () => {
    await store.createPartner(partner("sydney"), context());
    const updated = await store.updatePartner("sydney", { cooperationAreas: ["sport"] }, 1, context());
    expect(updated.version).toBe(2);
    const stale = store.updatePartner("sydney", { cooperationAreas: ["culture"] }, 1, context());
    expect(await refusalOf(stale)).toMatchObject({ kind: "stale", status: 412, extensions: { currentVersion: 2 } });
    expect((await reads.getPartner("sydney"))?.cooperationAreas).toEqual(["sport"]);
  });

  it("filters by category, area and status through the facet index and pages with a cursor", async () => {
    for (const id of ["p-a", "p-b", "p-c"]) {
      await store.createPartner(
        partner(id, { categories: [{ type: "asian-major-city" }], cooperationAreas: ["waterworks"] }),
        context(),
      );
    }
    await store.createPartner(partner("p-d", { categories: [{ type: "asian-major-city" }] }), context());
    const first = await reads.listPartners({ category: "asian-major-city", area: "waterworks", sort: "id", limit: 2 });
    expect(first.items.map((p) => p.id)).toEqual(["p-a", "p-b"]);
    expect(first.nextCursor).not.toBeNull();
    const second = await reads.listPartners({
      category: "asian-major-city",
      area: "waterworks",
      sort: "id",
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items.map((p) => p.id)).toEqual(["p-c"]);
  });

  it("moves a partner between status facets when it changes", async () => {
    await store.createPartner(partner("rome-test"), context());
    await store.updatePartner("rome-test", { relation: { status: "engaging", since: "2026-11-01" } }, 1, context());
    const prospects = await reads.listPartners({ status: "prospect", sort: "id", limit: 100 });
    const engaging = await reads.listPartners({ status: "engaging", sort: "id", limit: 100 });
    expect(prospects.items.map((p) => p.id)).not.toContain("rome-test");
    expect(engaging.items.map((p) => p.id)).toContain("rome-test");
  });

  it("establishes the relation on the first policy agreement and publishes RelationEstablished once", async () => {
    await store.createPartner(partner("tomsk", { kind: "region", country: "RU", worldRegion: "europe" }), context());
    const input = {
      type: "policy-cooperation" as const,
      title: { ja: "覚書", en: "MOU" },
      signedOn: "2015-06-10",
      areas: [],
      responsibleDepartments: { tokyo: [], partner: [] },
      legallyBinding: false,
      authenticLanguages: ["ja", "en"],
    };
    await store.concludeAgreement("tomsk", input, context());
    await store.concludeAgreement("tomsk", { ...input, signedOn: "2012-01-01" }, context());
    const tomsk = await reads.getPartner("tomsk");
    expect(tomsk?.relation.status).toBe("established");
    expect(tomsk?.established).toEqual({ on: "2012-01-01", basis: "agreement" });
    const events = await outboxTypes();
    expect(events.filter((t) => t === "AgreementConcluded.v1").length).toBeGreaterThanOrEqual(2);
    const progress = await reads.targetsProgress("2013-01-01");
    expect(progress.partners.map((p) => p.partnerId)).toContain("tomsk");
  });

  it("records a visit once and establishes on reciprocal head-level visits", async () => {
    await store.createPartner(partner("hanoi", { country: "VN", worldRegion: "southeast-asia" }), context());
    const outbound = {
      visitId: "v1",
      direction: "outbound",
      leaderLevel: "head",
      startDate: "2026-01-10",
      endDate: "2026-01-12",
    } as const;
    expect((await store.recordVisit("hanoi", outbound, context())).version).toBe(2);
    expect(await refusalOf(store.recordVisit("hanoi", outbound, context()))).toMatchObject({
      kind: "conflict",
      currentState: "recorded",
    });
    expect((await reads.getPartner("hanoi"))?.version).toBe(2);
    expect((await reads.getPartner("hanoi"))?.relation.status).toBe("prospect");
    const inbound = {
      visitId: "v2",
      direction: "inbound",
      leaderLevel: "head",
      startDate: "2026-03-01",
      endDate: "2026-03-03",
    } as const;
    await store.recordVisit("hanoi", inbound, context());
    const hanoi = await reads.getPartner("hanoi");
    expect(hanoi?.established).toEqual({ on: "2026-03-03", basis: "reciprocal-visits" });
    expect(await refusalOf(store.recordVisit("unknown-city", inbound, context()))).toMatchObject({
      kind: "not-found",
      status: 404,
    });
  });

  it("marks an established partner without exchange in 24 months dormant", async () => {
    await store.createPartner(partner("cairo-test", { country: "EG", worldRegion: "africa" }), context());
    await store.concludeAgreement(
      "cairo-test",
      {
        type: "sister-friendship",
        title: { ja: "友好都市", en: "Friendship" },
        signedOn: "1990-10-23",
        areas: [],
        responsibleDepartments: { tokyo: [], partner: [] },
        legallyBinding: false,
        authenticLanguages: ["ja", "en"],
      },
      context(),
    );
    const marked = await store.markDormantRelations(context());
    expect(marked).toContain("cairo-test");
    expect((await reads.getPartner("cairo-test"))?.relation).toEqual({ status: "dormant", since: "2026-11-28" });
    expect(await store.markDormantRelations(context())).not.toContain("cairo-test");
  });
});
