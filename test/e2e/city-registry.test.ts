import { randomUUID } from "node:crypto";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { RequestBody } from "@cdp/api-client";
import { ALL_ROLES, type Role } from "@cdp/contracts";
import { describe, expect, it } from "vitest";
import {
  apiAs,
  apiWithToken,
  busEvents,
  call,
  dataOf,
  eventBridge,
  eventMetadata,
  eventsEndpoint,
  eventually,
  settled,
} from "./client.ts";
import { FRIENDSHIP_PARTNERS } from "./seed-facts.ts";

const WRITERS: Role[] = ["international-affairs", "admin"];

const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

const newPartner = (id: string): RequestBody<"/partners", "post"> => ({
  id,
  name: { ja: "テスト市", en: "Test City" },
  kind: "city",
  country: "VN",
  worldRegion: "southeast-asia",
  categories: [{ type: "asian-major-city" }],
  cooperationAreas: ["waterworks", "sewerage"],
  contacts: [
    {
      name: { ja: "担当", en: "Officer" },
      role: "International relations",
      email: "intl@example.org",
      preferredLanguage: "en",
    },
  ],
});

const agreementBody: RequestBody<"/partners/{id}/agreements", "post"> = {
  type: "policy-cooperation",
  title: { ja: "水道分野の協力に関する覚書", en: "MOU on waterworks cooperation" },
  signedOn: "2026-04-01",
  areas: ["waterworks"],
  reviewOn: "2027-04-01",
};

const getPartner = (id: string, ...roles: Role[]) =>
  apiAs(...roles).GET("/partners/{id}", { params: { path: { id } } });

async function sendVisitCompleted(detail: Record<string, unknown>): Promise<string> {
  const result = await eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: "city-diplomacy",
          Source: "tmg.visit-scheduling",
          DetailType: "VisitCompleted.v1",
          Detail: JSON.stringify({ metadata: eventMetadata(), ...detail }),
        },
      ],
    }),
  );
  expect(result.FailedEntryCount).toBe(0);
  return String(result.Entries?.[0]?.EventId);
}

describe("City Registry over HTTP", () => {
  it("serves the real seed partners: 12 sister/friendship partners and the strategy's milestones", async () => {
    const viewer = apiAs("viewer");
    const friendship = await viewer.GET("/partners", {
      params: { query: { category: "friendship-city", limit: 100 } },
    });
    expect(friendship.response.status).toBe(200);
    expect(
      dataOf(friendship)
        .items.map((p) => p.id)
        .sort(),
    ).toEqual(FRIENDSHIP_PARTNERS);
    const newYork = dataOf(await getPartner("new-york", "viewer"));
    expect(newYork.established).toEqual({ on: "1960-02-29", basis: "agreement" });

    const progress = dataOf(await viewer.GET("/targets/progress", { params: { query: { asOf: "2017-12-31" } } }));
    // 11 sister partners by 2014, London (2015), Tomsk Region (2015) and the City of London (2017).
    expect(progress.count).toBe(14);
    expect(progress.milestones[0]).toMatchObject({ target: 15, deadline: "2017-12-31", count: 14, met: false });
    const before = dataOf(await viewer.GET("/targets/progress", { params: { query: { asOf: "1979-03-14" } } }));
    expect(before.partners.map((p) => p.partnerId)).toEqual(["new-york", "beijing"]);
  });

  it("pages through partners with an opaque cursor, never repeating one, and ranks by priority", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = dataOf(await apiAs("auditor").GET("/partners", { params: { query: { limit: 7, cursor } } }));
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(31);

    const ranked = dataOf(
      await apiAs("viewer").GET("/partners", {
        params: { query: { sort: "priority", status: "prospect", limit: 100 } },
      }),
    );
    const scores = ranked.items.map((p) => p.priorityScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(ranked.items.every((p) => p.relation.status === "prospect")).toBe(true);

    const bad = await apiAs("viewer").GET("/partners", { params: { query: { cursor: "not-a-cursor" } } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.errors?.map((e) => e.path)).toEqual(["query.cursor"]);
  });

  it("registers, reads with an ETag, and updates only with a fresh If-Match", async () => {
    const id = uniqueId("hue");
    const created = await apiAs("international-affairs").POST("/partners", { body: newPartner(id) });
    expect(created.response.status).toBe(201);
    expect(created.response.headers.get("location")).toBe(`/partners/${id}`);
    expect(created.data).toMatchObject({ id, version: 1, relation: { status: "prospect" }, established: null });

    const again = await apiAs().POST("/partners", { body: newPartner(id) });
    expect(again.response.status).toBe(409);
    expect(again.response.headers.get("content-type")).toContain("application/problem+json");

    const read = await getPartner(id, "viewer");
    expect(read.response.headers.get("etag")).toBe('"1"');

    const patch: RequestBody<"/partners/{id}", "patch"> = { cooperationAreas: ["environment"] };
    // Without If-Match: the contract requires the header, so only a raw request can leave it out.
    expect((await call("PATCH", `/partners/${id}`, { body: patch })).status).toBe(428);
    const update = (ifMatch: string, body: RequestBody<"/partners/{id}", "patch">) =>
      apiAs().PATCH("/partners/{id}", { params: { path: { id }, header: { "If-Match": ifMatch } }, body });
    const ok = await update('"1"', patch);
    expect(ok.response.status).toBe(200);
    expect(ok.data).toMatchObject({ version: 2, cooperationAreas: ["environment"] });
    expect(ok.response.headers.get("etag")).toBe('"2"');
    const stale = await update('"1"', { cooperationAreas: ["culture"] });
    expect(stale.response.status).toBe(412);
    expect(stale.error).toMatchObject({ currentVersion: 2 });
    expect(dataOf(await getPartner(id)).cooperationAreas).toEqual(["environment"]);
    expect((await getPartner("no-such-city")).response.status).toBe(404);

    await eventually(async () => {
      const registered = await busEvents("PartnerRegistered.v1");
      expect(registered.filter((e) => e.detail.partnerId === id)).toHaveLength(1);
    });
  });

  it("refuses a request without a valid token with 401, as the JWT authorizer does", async () => {
    expect((await apiWithToken(null).GET("/partners")).response.status).toBe(401);
    expect((await apiWithToken("not.a.jwt").GET("/partners")).response.status).toBe(401);
    const foreign = [
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
      Buffer.from(JSON.stringify({ sub: "x", "cognito:groups": ["admin"], exp: 4102444800 })).toString("base64url"),
      "c2lnbmF0dXJl",
    ].join(".");
    expect((await apiWithToken(foreign).GET("/partners")).response.status).toBe(401);
  });

  it("lets every role read and only international-affairs and admin write (403 for the others)", async () => {
    for (const role of ALL_ROLES) {
      expect((await getPartner("paris", role)).response.status, role).toBe(200);
      const id = uniqueId("role");
      const write = await apiAs(role).POST("/partners", { body: newPartner(id) });
      expect(write.response.status, role).toBe(WRITERS.includes(role) ? 201 : 403);
      if (!WRITERS.includes(role)) {
        expect(write.error?.type).toMatch(/forbidden$/);
        expect((await getPartner(id)).response.status).toBe(404);
      }
    }
  });

  it("answers bad input on every route with 400 problem+json naming the fields, writing nothing", async () => {
    const id = uniqueId("bad");
    const touched = async () =>
      (await busEvents()).filter((e) => e.detail.partnerId === id || e.detail.partnerId === "paris").length;
    const before = await touched();
    const cases: [method: string, path: string, body: unknown, fields: string[]][] = [
      ["POST", "/partners", { ...newPartner(id), country: "Vietnam", kind: "town" }, ["body.country", "body.kind"]],
      [
        "POST",
        "/partners",
        { ...newPartner(id), relation: { status: "established", since: "2020-01-01" } },
        ["body.relation.status"],
      ],
      ["GET", "/partners?limit=0&sort=size&status=friend", undefined, ["query.limit", "query.sort", "query.status"]],
      ["GET", "/partners/Not_A_Slug", undefined, ["path.id"]],
      ["PATCH", "/partners/paris", { name: { ja: "" } }, ["body.name.ja", "body.name.en"]],
      [
        "POST",
        "/partners/paris/agreements",
        { ...agreementBody, signedOn: "2026-02-30", type: "treaty" },
        ["body.signedOn", "body.type"],
      ],
      ["POST", "/partners/paris/agreements", { ...agreementBody, reviewOn: "2020-01-01" }, ["body.reviewOn"]],
      ["GET", "/partners/paris/agreements?limit=1000", undefined, ["query.limit"]],
      ["GET", "/agreements?reviewDueBefore=tomorrow", undefined, ["query.reviewDueBefore"]],
      [
        "POST",
        "/projects",
        { title: { ja: "x", en: "x" }, area: "space", partnerIds: ["paris"], startDate: "2026-01-01" },
        ["body.area", "body.partnerIds"],
      ],
      ["GET", "/projects?partnerId=UPPER", undefined, ["query.partnerId"]],
      ["GET", "/targets/progress?asOf=2021-13-01", undefined, ["query.asOf"]],
    ];
    for (const [method, path, body, fields] of cases) {
      const reply = await call(method, path, { body, headers: method === "PATCH" ? { "if-match": '"1"' } : {} });
      expect(reply.status, `${method} ${path}`).toBe(400);
      expect(reply.headers.get("content-type")).toContain("application/problem+json");
      const paths = new Set(reply.body.errors.map((e: { path: string }) => e.path));
      for (const field of fields) expect(paths, `${method} ${path}`).toContain(field);
    }
    const notJson = await call("POST", "/partners", { rawBody: "{oops" });
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors).toEqual([{ path: "body", message: "must be valid JSON" }]);

    expect((await getPartner(id)).response.status).toBe(404);
    expect(dataOf(await getPartner("paris")).version).toBe(2);
    await settled();
    expect(await touched()).toBe(before);
  });

  it("records agreements and projects and lists them, with reviews due", async () => {
    const id = uniqueId("da-nang");
    dataOf(await apiAs().POST("/partners", { body: newPartner(id) }));
    const conclude = (partnerId: string, ...roles: Role[]) =>
      apiAs(...roles).POST("/partners/{id}/agreements", { params: { path: { id: partnerId } }, body: agreementBody });
    const concluded = await conclude(id, "international-affairs");
    expect(concluded.response.status).toBe(201);
    const agreement = dataOf(concluded);
    expect(agreement).toMatchObject({ partnerId: id, legallyBinding: false, authenticLanguages: ["ja", "en"] });
    expect(dataOf(await getPartner(id)).relation).toEqual({ status: "established", since: "2026-04-01" });

    const viewer = apiAs("viewer");
    const list = dataOf(await viewer.GET("/partners/{id}/agreements", { params: { path: { id } } }));
    expect(list.items.map((a) => a.id)).toEqual([agreement.id]);
    const reviewDueBefore = async (day: string) =>
      dataOf(await viewer.GET("/agreements", { params: { query: { reviewDueBefore: day, limit: 100 } } })).items.map(
        (a) => a.id,
      );
    expect(await reviewDueBefore("2027-04-02")).toContain(agreement.id);
    expect(await reviewDueBefore("2027-04-01")).not.toContain(agreement.id);
    expect((await conclude("nowhere-city")).response.status).toBe(404);

    const project = await apiAs().POST("/projects", {
      body: {
        title: { ja: "アジア水道協力", en: "Asian waterworks cooperation" },
        area: "waterworks",
        partnerIds: [id, "jakarta"],
        startDate: "2026-05-01",
      },
    });
    expect(project.response.status).toBe(201);
    const ofPartner = dataOf(await viewer.GET("/projects", { params: { query: { partnerId: id } } }));
    expect(ofPartner.items.map((p) => p.id)).toEqual([dataOf(project).id]);
    const unknown = await apiAs().POST("/projects", {
      body: { title: { ja: "x", en: "x" }, area: "waterworks", partnerIds: [id, "atlantis"], startDate: "2026-05-01" },
    });
    expect(unknown.response.status).toBe(404);

    await eventually(async () => {
      const established = (await busEvents("RelationEstablished.v1")).filter((e) => e.detail.partnerId === id);
      expect(established).toHaveLength(1);
      expect(established[0]?.detail).toMatchObject({ establishedOn: "2026-04-01", basis: "agreement" });
    });
  });

  it("establishes a relation from reciprocal head-level visits sent as events, once, whatever is redelivered", async () => {
    const id = uniqueId("ho-chi-minh");
    dataOf(await apiAs().POST("/partners", { body: newPartner(id) }));
    const outbound = {
      visitId: uniqueId("visit"),
      direction: "outbound",
      partnerIds: [id],
      leaderLevel: "head",
      startDate: "2026-06-01",
      endDate: "2026-06-04",
    };
    const outboundEventId = await sendVisitCompleted(outbound);
    await eventually(async () => {
      expect(dataOf(await getPartner(id)).version).toBe(2);
    });
    expect(dataOf(await getPartner(id)).relation.status).toBe("prospect");

    // A deputy's visit to Tokyo does not complete reciprocity.
    await sendVisitCompleted({ ...outbound, visitId: uniqueId("visit"), direction: "inbound", leaderLevel: "deputy" });
    const inbound = {
      ...outbound,
      visitId: uniqueId("visit"),
      direction: "inbound",
      startDate: "2026-09-10",
      endDate: "2026-09-12",
    };
    const inboundEventId = await sendVisitCompleted(inbound);
    await eventually(async () => {
      const partner = dataOf(await getPartner(id));
      expect(partner.established).toEqual({ on: "2026-09-12", basis: "reciprocal-visits" });
      expect(partner.relation).toEqual({ status: "established", since: "2026-09-12" });
    });
    const settledVersion = dataOf(await getPartner(id)).version;

    // The same event delivered again (same id), and the same visit in a new event: nothing changes.
    for (const eventId of [inboundEventId, outboundEventId]) {
      expect((await fetch(`${eventsEndpoint}/events/${eventId}/replay`, { method: "POST" })).status).toBe(202);
    }
    await sendVisitCompleted(inbound);
    await settled();
    expect(dataOf(await getPartner(id)).version).toBe(settledVersion);
    const established = (await busEvents("RelationEstablished.v1")).filter((e) => e.detail.partnerId === id);
    expect(established).toHaveLength(1);
    expect(established[0]?.detail).toMatchObject({ establishedOn: "2026-09-12", basis: "reciprocal-visits" });
    const { deadLetters } = (await (await fetch(`${eventsEndpoint}/dead-letters`)).json()) as {
      deadLetters: { event: { detail?: { partnerIds?: string[] } } }[];
    };
    expect(deadLetters.filter((d) => d.event.detail?.partnerIds?.includes(id))).toEqual([]);
  });

  it("dead-letters an event that breaks its contract after retries", async () => {
    const id = await sendVisitCompleted({
      visitId: "broken",
      direction: "sideways",
      partnerIds: [],
      leaderLevel: "head",
    });
    await eventually(async () => {
      const { deadLetters } = (await (await fetch(`${eventsEndpoint}/dead-letters`)).json()) as {
        deadLetters: { rule: string; attempts: number; event: { id: string } }[];
      };
      // The registry's (the reports' consumer of the same events dead-letters it as well, on its own rule).
      const mine = deadLetters.filter((d) => d.event.id === id && d.rule.startsWith("city-registry."));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ rule: "city-registry.visit-completed", attempts: 3 });
    });
  });

  it("marks established partners without exchange in 24 months dormant when the daily review runs", async () => {
    const fired = await fetch(
      `${eventsEndpoint}/schedules/city-registry.dormancy-review/fire?at=2026-11-28T18:00:00Z`,
      { method: "POST" },
    );
    expect(fired.status).toBe(200);
    const result = (await fired.json()) as { result: { markedDormant: string[] } };
    // New York's last exchange is its 1960 affiliation; Berlin signed a joint communiqué on 2024-05-14.
    expect(result.result.markedDormant).toContain("new-york");
    expect(result.result.markedDormant).toContain("berlin");
    const newYork = dataOf(await getPartner("new-york"));
    expect(newYork.relation).toEqual({ status: "dormant", since: "2026-11-29" });
    await eventually(async () => {
      const dormant = (await busEvents("RelationDormant.v1")).filter((e) => e.detail.partnerId === "new-york");
      expect(dormant).toHaveLength(1);
      expect(dormant[0]?.detail).toMatchObject({ lastExchangeOn: "1960-02-29" });
    });
  });
});
