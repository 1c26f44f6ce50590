import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { RequestBody } from "@cdp/api-client";
import type { Role } from "@cdp/contracts";
import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  apiAs,
  apiWithToken,
  busEvents,
  call,
  dataOf,
  eventBridge,
  eventsEndpoint,
  eventually,
  quietEventCount,
  sesEndpoint,
  settled,
} from "./client.ts";

interface StoredEmail {
  messageId: string;
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
}

async function mailTo(address: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address));
}

const suffix = () => randomUUID().slice(0, 8);
const PROTOCOL: Role[] = ["protocol"];

function contact(email: string, preferredLanguage: "ja" | "en") {
  return { name: { ja: "担当者", en: "Liaison Officer" }, role: "International relations", email, preferredLanguage };
}

async function registerPartner(id: string, contacts: ReturnType<typeof contact>[]): Promise<void> {
  const reply = await apiAs("international-affairs").POST("/partners", {
    body: {
      id,
      name: { ja: "フエ市", en: "Hue" },
      kind: "city",
      country: "VN",
      worldRegion: "southeast-asia",
      contacts,
    },
  });
  expect(reply.response.status).toBe(201);
  // Notifications keeps its own copy of the partner from the registry's event.
  await eventually(async () => {
    const registered = await busEvents("PartnerRegistered.v1");
    expect(registered.some((e) => e.detail.partnerId === id)).toBe(true);
  });
  await settled();
}

type VisitBody = RequestBody<"/visits", "post">;

const governor: VisitBody["delegationHead"] = {
  name: { ja: "東京都知事", en: "Governor of Tokyo" },
  title: { ja: "知事", en: "Governor" },
  level: "head",
};
const mayor: VisitBody["delegationHead"] = {
  name: { ja: "市長", en: "Mayor" },
  title: { ja: "市長", en: "Mayor" },
  level: "head",
};
const quotes = [
  { vendor: "JTB", amountYen: 9_800_000, receivedOn: "2026-10-01" },
  { vendor: "Kinki Nippon Tourist", amountYen: 10_400_000, receivedOn: "2026-10-03" },
];

function visitBody(partnerId: string, overrides: Partial<VisitBody> = {}): VisitBody {
  const startDate = String(overrides.startDate ?? "2031-01-12");
  return {
    direction: "outbound",
    partnerIds: [partnerId],
    delegationHead: governor,
    purpose: "relationship-building",
    purposeStatement: { ja: "水道分野の協力に向けた関係構築", en: "Building relations for waterworks cooperation" },
    priority: 1,
    startDate: "2031-01-12",
    endDate: "2031-01-15",
    itinerary: [
      {
        date: startDate,
        time: "10:00",
        place: "City Hall",
        activity: "Meeting with the mayor",
        counterpart: "Mayor",
      },
    ],
    members: [
      {
        name: { ja: "鈴木", en: "Suzuki" },
        role: "Interpreter",
        personal: { passportNumber: "TR1234567", dietaryNotes: "halal" },
      },
    ],
    costEstimate: { breakdown: [{ item: "travel", amountYen: 9_800_000 }], quotes },
    ...overrides,
  };
}

async function propose(body: VisitBody): Promise<string> {
  const reply = await apiAs(...PROTOCOL).POST("/visits", { body });
  expect(reply.response.status, JSON.stringify(reply.error)).toBe(201);
  return dataOf(reply).id;
}

/** One step of a visit's life cycle, as protocol staff (or the given roles) take it. */
function step(id: string, action: "approve" | "confirm" | "complete", roles: Role[] = PROTOCOL) {
  const client = apiAs(...roles);
  const path = { path: { id } };
  if (action === "approve") return client.POST("/visits/{id}/approve", { params: path });
  if (action === "confirm") return client.POST("/visits/{id}/confirm", { params: path });
  return client.POST("/visits/{id}/complete", { params: path, body: { actualCostYen: 9_500_000 } });
}

async function advance(id: string, actions: ("approve" | "confirm" | "complete")[]): Promise<void> {
  for (const action of actions) {
    const reply = await step(id, action);
    expect(reply.response.status, `${action}: ${JSON.stringify(reply.error)}`).toBe(200);
  }
}

const getVisit = (id: string, ...roles: Role[]) => apiAs(...roles).GET("/visits/{id}", { params: { path: { id } } });
const cancelVisit = (id: string, reason: string, roles: Role[] = PROTOCOL) =>
  apiAs(...roles).POST("/visits/{id}/cancel", { params: { path: { id } }, body: { reason } });
const noticesOf = async (partnerId: string, ...roles: Role[]) =>
  dataOf(await apiAs(...roles).GET("/notices", { params: { query: { partnerId } } })).items;

describe("Visit Scheduling and partner notices over the local cloud", () => {
  const partnerId = `hue-${suffix()}`;
  const jaContact = `kokusai-${suffix()}@hue.example`;
  const enContact = `intl-${suffix()}@hue.example`;
  let outboundId = "";
  let inboundId = "";

  beforeAll(async () => {
    await registerPartner(partnerId, [contact(jaContact, "ja"), contact(enContact, "en")]);
  });

  it("establishes a relation through reciprocal governor-level visits completed over the API, notifying the partner", async () => {
    const outbound = await apiAs(...PROTOCOL).POST("/visits", { body: visitBody(partnerId) });
    expect(outbound.response.status, JSON.stringify(outbound.error)).toBe(201);
    outboundId = dataOf(outbound).id;
    expect(outbound.response.headers.get("location")).toBe(`/visits/${outboundId}`);
    await advance(outboundId, ["approve", "confirm", "complete"]);

    inboundId = await propose(
      visitBody(partnerId, {
        direction: "inbound",
        delegationHead: mayor,
        startDate: "2031-04-20",
        endDate: "2031-04-22",
        itinerary: [],
        costEstimate: { breakdown: [], quotes: [] },
      }),
    );
    await advance(inboundId, ["approve", "confirm", "complete"]);

    await eventually(async () => {
      const partner = dataOf(await apiAs("viewer").GET("/partners/{id}", { params: { path: { id: partnerId } } }));
      expect(partner.established).toEqual({ on: "2031-04-22", basis: "reciprocal-visits" });
      expect(partner.relation.status).toBe("established");
    });
    await eventually(async () => {
      const established = (await busEvents("RelationEstablished.v1")).filter((e) => e.detail.partnerId === partnerId);
      expect(established).toHaveLength(1);
    });
  });

  it("sends each contact one bilingual notice per confirmed visit, preferred language first, readable from SES", async () => {
    await eventually(async () => {
      expect(await mailTo(jaContact)).toHaveLength(2);
      expect(await mailTo(enContact)).toHaveLength(2);
    });
    const january = (mail: StoredEmail) => mail.subject.includes("January");
    const jaMail = (await mailTo(jaContact)).find(january);
    const enMail = (await mailTo(enContact)).find(january);
    for (const mail of [jaMail, enMail]) {
      expect(mail?.body.text).toContain("訪問日程確定のお知らせ");
      expect(mail?.body.text).toContain("Visit confirmed");
      expect(mail?.body.html).toContain('<section lang="ja">');
    }
    expect(jaMail?.subject.startsWith("[Tokyo] 訪問日程確定のお知らせ")).toBe(true);
    expect(enMail?.subject.startsWith("[Tokyo] Visit confirmed")).toBe(true);
    expect(enMail?.body.text).toContain("12–15 January 2031");
    expect(enMail?.body.text).toContain("2031年1月12日〜15日");
    expect(enMail?.body.text).toContain("Building relations for waterworks cooperation");

    const notices = await noticesOf(partnerId, "international-affairs");
    expect(notices).toHaveLength(4);
    const messageIds = [...(await mailTo(jaContact)), ...(await mailTo(enContact))].map((m) => m.messageId).sort();
    expect(notices.map((n) => n.sesMessageId).sort()).toEqual(messageIds);
    expect(notices.every((n) => n.status === "sent" && n.attempts === 1)).toBe(true);
  });

  it("sends no second notice when the confirmation is delivered again or published anew", async () => {
    const confirmed = (await busEvents("VisitConfirmed.v1")).find((e) => e.detail.visitId === outboundId);
    expect(confirmed).toBeDefined();
    expect((await fetch(`${eventsEndpoint}/events/${confirmed?.id}/replay`, { method: "POST" })).status).toBe(202);
    const result = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: "city-diplomacy",
            Source: "tmg.visit-scheduling",
            DetailType: "VisitConfirmed.v1",
            Detail: JSON.stringify(confirmed?.detail),
          },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(0);
    await settled();
    expect(await mailTo(jaContact)).toHaveLength(2);
    expect(await mailTo(enContact)).toHaveLength(2);
  });

  it("keeps delegates' personal data to protocol and admin: absent from the visit, events, notices and mail", async () => {
    const visit = dataOf(await getVisit(outboundId, "viewer"));
    expect(visit.members).toEqual([
      { id: expect.any(String), name: { ja: "鈴木", en: "Suzuki" }, role: "Interpreter" },
    ]);
    const members = (role: Role) => apiAs(role).GET("/visits/{id}/members", { params: { path: { id: outboundId } } });
    expect((await members("viewer")).response.status).toBe(403);
    expect((await members("international-affairs")).response.status).toBe(403);
    expect(dataOf(await members("protocol")).items[0]?.personal).toEqual({
      passportNumber: "TR1234567",
      dietaryNotes: "halal",
    });
    const everywhere = JSON.stringify([visit, await busEvents(), await noticesOf(partnerId), await mailTo(jaContact)]);
    expect(everywhere).not.toContain("TR1234567");
    expect(everywhere).not.toContain("halal");
  });

  it("serves the visits as an iCalendar feed that an independent parser reads", async () => {
    const { data: text, response } = await apiAs("viewer").GET("/visits.ics", {
      params: { query: { from: "2031-01-01", to: "2031-12-31" } },
      parseAs: "text",
    });
    expect(response.headers.get("content-type")).toContain("text/calendar");
    if (text === undefined) throw new Error(`no calendar: ${response.status}`);
    expect(text).toContain("\r\n");
    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents("vevent").map((component) => new ICAL.Event(component));
    const outbound = events.find((e) => e.uid.startsWith(outboundId));
    expect(outbound).toBeDefined();
    expect(outbound?.startDate.toString()).toBe("2031-01-12");
    expect(outbound?.endDate.toString()).toBe("2031-01-16");
    expect(outbound?.summary).toContain("Hue");
    expect(outbound?.description).toContain("水道分野の協力に向けた関係構築");
    expect(events.some((e) => e.uid.startsWith(inboundId))).toBe(true);
  });

  it("retries a failing SES send, records the outcome, and dead-letters what still fails", async () => {
    const flakyPartner = `da-lat-${suffix()}`;
    const throttled = `busy-${suffix()}@dalat.example`;
    const rejected = `unverified-${suffix()}@dalat.example`;
    await registerPartner(flakyPartner, [contact(throttled, "en"), contact(rejected, "ja")]);
    for (const fault of [
      { recipient: throttled, failures: 2, error: "throttled" },
      { recipient: rejected, failures: 1000, error: "rejected" },
    ]) {
      expect((await fetch(`${sesEndpoint}/faults`, { method: "POST", body: JSON.stringify(fault) })).status).toBe(201);
    }
    const visitId = await propose(
      visitBody(flakyPartner, {
        direction: "inbound",
        delegationHead: { ...mayor, level: "deputy" },
        startDate: "2031-06-01",
        endDate: "2031-06-02",
        costEstimate: { breakdown: [], quotes: [] },
      }),
    );
    await advance(visitId, ["approve", "confirm"]);

    await eventually(async () => {
      const { deadLetters } = (await (await fetch(`${eventsEndpoint}/dead-letters`)).json()) as {
        deadLetters: { rule: string; event: { detail: { visitId: string } } }[];
      };
      expect(deadLetters.filter((d) => d.event.detail.visitId === visitId).map((d) => d.rule)).toEqual([
        "notifications.visit-confirmed",
      ]);
    }, 20_000);
    const notices = await noticesOf(flakyPartner);
    const byRecipient = Object.fromEntries(notices.map((n) => [n.recipient, n]));
    expect(byRecipient[throttled]).toMatchObject({ status: "sent", attempts: 3 });
    // Three deliveries of the event (the bus retries), three sends each.
    expect(byRecipient[rejected]).toMatchObject({ status: "failed", attempts: 9 });
    expect(byRecipient[rejected]?.lastError).toContain("MessageRejected");
    expect(await mailTo(throttled)).toHaveLength(1);
    expect(await mailTo(rejected)).toHaveLength(0);
    await fetch(`${sesEndpoint}/faults`, { method: "DELETE" });
  });

  it("logs a partner without contact as such, and tells partners of a cancellation only after a confirmation", async () => {
    const visitId = await propose(visitBody("rome", { startDate: "2031-09-01", endDate: "2031-09-03" }));
    await advance(visitId, ["approve", "confirm"]);
    const cancel = await cancelVisit(visitId, "Typhoon warning");
    expect(cancel.response.status).toBe(200);
    await eventually(async () => {
      const notices = await noticesOf("rome");
      expect(notices.map((n) => [n.kind, n.status, n.recipient]).sort()).toEqual([
        ["visit-cancelled", "no-contact", null],
        ["visit-confirmed", "no-contact", null],
      ]);
    });

    const withContacts = `hoi-an-${suffix()}`;
    const address = `hoian-${suffix()}@hoian.example`;
    await registerPartner(withContacts, [contact(address, "en")]);
    const proposalId = await propose(visitBody(withContacts, { startDate: "2031-10-01", endDate: "2031-10-02" }));
    dataOf(await cancelVisit(proposalId, "Budget"));
    await settled();
    expect(await mailTo(address)).toHaveLength(0);
  });

  it("sends to a partner's new contact after the registry publishes the change", async () => {
    const changing = `can-tho-${suffix()}`;
    const oldAddress = `old-${suffix()}@cantho.example`;
    const newAddress = `new-${suffix()}@cantho.example`;
    await registerPartner(changing, [contact(oldAddress, "en")]);
    const patched = await apiAs("international-affairs").PATCH("/partners/{id}", {
      params: { path: { id: changing }, header: { "If-Match": '"1"' } },
      body: { contacts: [contact(newAddress, "ja")] },
    });
    expect(patched.response.status).toBe(200);
    await eventually(async () => {
      const updated = (await busEvents("PartnerUpdated.v1")).filter((e) => e.detail.partnerId === changing);
      expect(updated.map((e) => e.detail.version)).toEqual([2]);
    });
    await settled();
    const visitId = await propose(
      visitBody(changing, {
        delegationHead: { ...mayor, level: "official" },
        direction: "inbound",
        startDate: "2031-11-01",
        endDate: "2031-11-02",
      }),
    );
    await advance(visitId, ["approve", "confirm"]);
    await eventually(async () => expect(await mailTo(newAddress)).toHaveLength(1));
    expect(await mailTo(oldAddress)).toHaveLength(0);
  });

  it("refuses a second governor engagement on the same days, naming the visit holding them", async () => {
    const firstId = await propose(visitBody("paris", { startDate: "2032-03-01", endDate: "2032-03-04" }));
    await advance(firstId, ["approve"]);
    const secondId = await propose(
      visitBody("seoul", {
        direction: "inbound",
        startDate: "2032-03-04",
        endDate: "2032-03-05",
        costEstimate: { breakdown: [], quotes: [] },
      }),
    );
    const clash = await step(secondId, "approve");
    expect(clash.response.status).toBe(409);
    expect(clash.error).toMatchObject({ clashingVisits: [firstId] });
    expect(clash.error?.detail).toContain(firstId);
    const illegal = await step(firstId, "complete");
    expect(illegal.response.status).toBe(409);
    expect(illegal.error).toMatchObject({ currentStatus: "approved" });
  });

  it("edits a visit over HTTP changing only what the edit names, dates only while proposed", async () => {
    const visitId = await propose(visitBody("berlin", { startDate: "2032-05-10", endDate: "2032-05-12" }));
    const edit = (ifMatch: string, body: RequestBody<"/visits/{id}", "patch">) =>
      apiAs(...PROTOCOL).PATCH("/visits/{id}", {
        params: { path: { id: visitId }, header: { "If-Match": ifMatch } },
        body,
      });
    const moved = dataOf(await edit('"1"', { startDate: "2032-05-11", endDate: "2032-05-13", itinerary: [] }));
    expect(moved.costEstimate.quotes).toHaveLength(2);
    expect(moved.members).toHaveLength(1);
    await advance(visitId, ["approve"]);
    const refined = dataOf(await edit('"3"', { priority: 2 }));
    expect(refined).toMatchObject({ priority: 2, status: "approved", version: 4 });
    expect(refined.costEstimate.quotes).toHaveLength(2);
    const tooLate = await edit('"4"', { endDate: "2032-05-20" });
    expect(tooLate.response.status).toBe(409);
    expect(tooLate.error).toMatchObject({ currentStatus: "approved" });
  });

  it("ranks the fiscal year's governor trips against the caps", async () => {
    const fiscalYear = { path: { fiscalYear: 2032 } };
    const set = await apiAs(...PROTOCOL).PUT("/plans/{fiscalYear}", {
      params: fiscalYear,
      body: { tripCap: 1, travelBudgetYen: 30_000_000 },
    });
    expect(set.response.status).toBe(200);
    const plan = dataOf(await apiAs("viewer").GET("/plans/{fiscalYear}", { params: fiscalYear }));
    expect(plan).toMatchObject({ fiscalYear: 2032, settings: { tripCap: 1, travelBudgetYen: 30_000_000 } });
    expect(plan.period).toEqual({ start: "2032-04-01", end: "2033-03-31" });
  });

  it("lets every role read visits and only protocol and admin write them", async () => {
    const roles: Role[] = [
      "viewer",
      "international-affairs",
      "exchange-coordinator",
      "fund-manager",
      "fund-approver",
      "auditor",
    ];
    for (const role of roles) {
      expect((await getVisit(outboundId, role)).response.status, role).toBe(200);
      expect((await apiAs(role).POST("/visits", { body: visitBody(partnerId) })).response.status, role).toBe(403);
      expect((await cancelVisit(outboundId, "x", [role])).response.status, role).toBe(403);
    }
    expect((await apiWithToken(null).GET("/visits")).response.status).toBe(401);
  });

  it("answers bad input on every visit route with 400 naming the fields, writing nothing", async () => {
    const before = await quietEventCount();
    const visitCount = async () =>
      dataOf(await apiAs().GET("/visits", { params: { query: { limit: 100 } } })).items.length;
    const visitsBefore = await visitCount();
    const id = outboundId;
    const cases: [method: string, path: string, body: unknown, fields: string[]][] = [
      [
        "POST",
        "/visits",
        { ...visitBody(partnerId), direction: "sideways", priority: 9 },
        ["body.direction", "body.priority"],
      ],
      [
        "POST",
        "/visits",
        { ...visitBody(partnerId), startDate: "2031-01-15", endDate: "2031-01-12" },
        ["body.endDate"],
      ],
      [
        "POST",
        "/visits",
        {
          ...visitBody(partnerId),
          members: [{ name: { ja: "x", en: "x" }, role: "x", personal: { passportNumber: "bad!" } }],
        },
        ["body.members.0.personal.passportNumber"],
      ],
      ["GET", "/visits?from=someday&status=maybe&limit=500", undefined, ["query.from", "query.status", "query.limit"]],
      ["GET", "/visits/not-a-uuid", undefined, ["path.id"]],
      ["PATCH", `/visits/${id}`, { priority: 0 }, ["body.priority"]],
      ["POST", "/visits/not-a-uuid/approve", undefined, ["path.id"]],
      ["POST", "/visits/not-a-uuid/confirm", undefined, ["path.id"]],
      ["POST", `/visits/${id}/complete`, { actualCostYen: -5 }, ["body.actualCostYen"]],
      ["POST", `/visits/${id}/cancel`, { reason: "" }, ["body.reason"]],
      ["GET", "/visits/not-a-uuid/members", undefined, ["path.id"]],
      [
        "POST",
        "/conferences",
        {
          name: { ja: "会議", en: "Summit" },
          city: { name: { ja: "x", en: "x" } },
          startDate: "2031-01-01",
          endDate: "2031-01-02",
          role: "bid",
        },
        ["body.bidDeadline"],
      ],
      ["GET", "/conferences?to=31-12-2031", undefined, ["query.to"]],
      ["GET", "/plans/nineteen", undefined, ["path.fiscalYear"]],
      ["PUT", "/plans/2031", { tripCap: -1, travelBudgetYen: 1.5 }, ["body.tripCap", "body.travelBudgetYen"]],
      ["GET", "/visits.ics?from=tomorrow", undefined, ["query.from"]],
      ["GET", "/notices?partnerId=Not_A_Slug", undefined, ["query.partnerId"]],
      // Found by the fuzzing suite: a period ending before it begins was a 500 (DynamoDB's BETWEEN refuses it).
      ["GET", "/visits?from=2031-06-10&to=2024-03-06", undefined, ["query.to"]],
      ["GET", "/conferences?from=2031-06-10&to=2024-03-06", undefined, ["query.to"]],
      ["GET", "/visits.ics?from=2031-06-10&to=2024-03-06", undefined, ["query.to"]],
      ["GET", "/notices?from=2031-06-10&to=2024-03-06", undefined, ["query.to"]],
      ["GET", "/placements?from=2031-06-10&to=2024-03-06", undefined, ["query.to"]],
    ];
    for (const [method, path, body, fields] of cases) {
      const reply = await call(method, path, {
        roles: ["admin"],
        body,
        headers: method === "PATCH" ? { "if-match": '"4"' } : {},
      });
      expect(reply.status, `${method} ${path}`).toBe(400);
      expect(reply.headers.get("content-type")).toContain("application/problem+json");
      const paths = new Set(reply.body.errors.map((e: { path: string }) => e.path));
      for (const field of fields) expect(paths, `${method} ${path}: ${[...paths].join(", ")}`).toContain(field);
    }
    await settled();
    expect((await busEvents()).length).toBe(before);
    expect(await visitCount()).toBe(visitsBefore);
    expect(dataOf(await getVisit(id)).status).toBe("completed");
  });

  it("never writes personal data to a log line: passports, dietary notes, partner officials' addresses", async () => {
    const logFile = process.env.E2E_CLOUD_LOG;
    if (!logFile) throw new Error("E2E_CLOUD_LOG is not set");
    const logs = readFileSync(logFile, "utf8");
    // The log is real: structured lines of requests served and events consumed, with correlation ids.
    expect(logs).toContain('"message":"request served"');
    expect(logs).toContain('"message":"visit notices"');
    expect(logs).toContain('"message":"notice failed after retries"');
    for (const secret of ["TR1234567", "halal", jaContact, enContact, "@dalat.example", "@hue.example"]) {
      expect(logs.includes(secret), secret).toBe(false);
    }
  });
});
