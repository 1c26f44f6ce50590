import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { Role } from "@cdp/contracts";
import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  busEvents,
  call,
  eventBridge,
  eventsEndpoint,
  eventually,
  quietEventCount,
  sesEndpoint,
  tokenFor,
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
  const reply = await call("POST", "/partners", {
    roles: ["international-affairs"],
    body: {
      id,
      name: { ja: "フエ市", en: "Hue" },
      kind: "city",
      country: "VN",
      worldRegion: "southeast-asia",
      contacts,
    },
  });
  expect(reply.status).toBe(201);
  // Notifications keeps its own copy of the partner from the registry's event.
  await eventually(async () => {
    const registered = await busEvents("PartnerRegistered.v1");
    expect(registered.some((e) => e.detail.partnerId === id)).toBe(true);
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const governor = {
  name: { ja: "東京都知事", en: "Governor of Tokyo" },
  title: { ja: "知事", en: "Governor" },
  level: "head",
};
const mayor = { name: { ja: "市長", en: "Mayor" }, title: { ja: "市長", en: "Mayor" }, level: "head" };
const quotes = [
  { vendor: "JTB", amountYen: 9_800_000, receivedOn: "2026-10-01" },
  { vendor: "Kinki Nippon Tourist", amountYen: 10_400_000, receivedOn: "2026-10-03" },
];

function visitBody(partnerId: string, overrides: Record<string, unknown> = {}) {
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

async function propose(body: ReturnType<typeof visitBody>): Promise<string> {
  const reply = await call("POST", "/visits", { roles: PROTOCOL, body });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return String(reply.body.id);
}

async function advance(id: string, steps: ("approve" | "confirm" | "complete")[]): Promise<void> {
  for (const step of steps) {
    const reply = await call("POST", `/visits/${id}/${step}`, {
      roles: PROTOCOL,
      ...(step === "complete" && { body: { actualCostYen: 9_500_000 } }),
    });
    expect(reply.status, `${step}: ${JSON.stringify(reply.body)}`).toBe(200);
  }
}

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
    const outbound = await call("POST", "/visits", { roles: PROTOCOL, body: visitBody(partnerId) });
    expect(outbound.status, JSON.stringify(outbound.body)).toBe(201);
    expect(outbound.headers.get("location")).toBe(`/visits/${outbound.body.id}`);
    outboundId = outbound.body.id;
    await advance(outboundId, ["approve", "confirm", "complete"]);

    const inbound = await call("POST", "/visits", {
      roles: PROTOCOL,
      body: visitBody(partnerId, {
        direction: "inbound",
        delegationHead: mayor,
        startDate: "2031-04-20",
        endDate: "2031-04-22",
        itinerary: [],
        costEstimate: { breakdown: [], quotes: [] },
      }),
    });
    inboundId = inbound.body.id;
    await advance(inboundId, ["approve", "confirm", "complete"]);

    await eventually(async () => {
      const partner = await call("GET", `/partners/${partnerId}`, { roles: ["viewer"] });
      expect(partner.body.established).toEqual({ on: "2031-04-22", basis: "reciprocal-visits" });
      expect(partner.body.relation.status).toBe("established");
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

    const notices = await call("GET", `/notices?partnerId=${partnerId}`, { roles: ["international-affairs"] });
    expect(notices.status).toBe(200);
    expect(notices.body.items).toHaveLength(4);
    const messageIds = [...(await mailTo(jaContact)), ...(await mailTo(enContact))].map((m) => m.messageId).sort();
    expect(notices.body.items.map((n: { sesMessageId: string }) => n.sesMessageId).sort()).toEqual(messageIds);
    expect(
      notices.body.items.every((n: { status: string; attempts: number }) => n.status === "sent" && n.attempts === 1),
    ).toBe(true);
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
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await mailTo(jaContact)).toHaveLength(2);
    expect(await mailTo(enContact)).toHaveLength(2);
  });

  it("keeps delegates' personal data to protocol and admin: absent from the visit, events, notices and mail", async () => {
    const visit = await call("GET", `/visits/${outboundId}`, { roles: ["viewer"] });
    expect(visit.status).toBe(200);
    expect(visit.body.members).toEqual([
      { id: expect.any(String), name: { ja: "鈴木", en: "Suzuki" }, role: "Interpreter" },
    ]);
    expect((await call("GET", `/visits/${outboundId}/members`, { roles: ["viewer"] })).status).toBe(403);
    expect((await call("GET", `/visits/${outboundId}/members`, { roles: ["international-affairs"] })).status).toBe(403);
    const members = await call("GET", `/visits/${outboundId}/members`, { roles: ["protocol"] });
    expect(members.body.items[0].personal).toEqual({ passportNumber: "TR1234567", dietaryNotes: "halal" });
    const everywhere = JSON.stringify([
      visit.body,
      await busEvents(),
      (await call("GET", `/notices?partnerId=${partnerId}`)).body,
      await mailTo(jaContact),
    ]);
    expect(everywhere).not.toContain("TR1234567");
    expect(everywhere).not.toContain("halal");
  });

  it("serves the visits as an iCalendar feed that an independent parser reads", async () => {
    const response = await fetch(`${api}/visits.ics?from=2031-01-01&to=2031-12-31`, {
      headers: { authorization: `Bearer ${await tokenFor("viewer")}` },
    });
    expect(response.headers.get("content-type")).toContain("text/calendar");
    const text = await response.text();
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
    const notices = (await call("GET", `/notices?partnerId=${flakyPartner}`)).body.items as {
      recipient: string;
      status: string;
      attempts: number;
      lastError: string | null;
    }[];
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
    const cancel = await call("POST", `/visits/${visitId}/cancel`, {
      roles: PROTOCOL,
      body: { reason: "Typhoon warning" },
    });
    expect(cancel.status).toBe(200);
    await eventually(async () => {
      const notices = (await call("GET", "/notices?partnerId=rome")).body.items as {
        kind: string;
        status: string;
        recipient: null;
      }[];
      expect(notices.map((n) => [n.kind, n.status, n.recipient]).sort()).toEqual([
        ["visit-cancelled", "no-contact", null],
        ["visit-confirmed", "no-contact", null],
      ]);
    });

    const withContacts = `hoi-an-${suffix()}`;
    const address = `hoian-${suffix()}@hoian.example`;
    await registerPartner(withContacts, [contact(address, "en")]);
    const proposalId = await propose(visitBody(withContacts, { startDate: "2031-10-01", endDate: "2031-10-02" }));
    await call("POST", `/visits/${proposalId}/cancel`, { roles: PROTOCOL, body: { reason: "Budget" } });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await mailTo(address)).toHaveLength(0);
  });

  it("sends to a partner's new contact after the registry publishes the change", async () => {
    const changing = `can-tho-${suffix()}`;
    const oldAddress = `old-${suffix()}@cantho.example`;
    const newAddress = `new-${suffix()}@cantho.example`;
    await registerPartner(changing, [contact(oldAddress, "en")]);
    const patched = await call("PATCH", `/partners/${changing}`, {
      roles: ["international-affairs"],
      body: { contacts: [contact(newAddress, "ja")] },
      headers: { "if-match": '"1"' },
    });
    expect(patched.status).toBe(200);
    await eventually(async () => {
      const updated = (await busEvents("PartnerUpdated.v1")).filter((e) => e.detail.partnerId === changing);
      expect(updated.map((e) => e.detail.version)).toEqual([2]);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
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
    const clash = await call("POST", `/visits/${secondId}/approve`, { roles: PROTOCOL });
    expect(clash.status).toBe(409);
    expect(clash.body.clashingVisits).toEqual([firstId]);
    expect(clash.body.detail).toContain(firstId);
    const illegal = await call("POST", `/visits/${firstId}/complete`, {
      roles: PROTOCOL,
      body: { actualCostYen: 1 },
    });
    expect(illegal.status).toBe(409);
    expect(illegal.body.currentStatus).toBe("approved");
  });

  it("edits a visit over HTTP changing only what the edit names, dates only while proposed", async () => {
    const visitId = await propose(visitBody("berlin", { startDate: "2032-05-10", endDate: "2032-05-12" }));
    const moved = await call("PATCH", `/visits/${visitId}`, {
      roles: PROTOCOL,
      body: { startDate: "2032-05-11", endDate: "2032-05-13", itinerary: [] },
      headers: { "if-match": '"1"' },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.costEstimate.quotes).toHaveLength(2);
    expect(moved.body.members).toHaveLength(1);
    await advance(visitId, ["approve"]);
    const refined = await call("PATCH", `/visits/${visitId}`, {
      roles: PROTOCOL,
      body: { priority: 2 },
      headers: { "if-match": '"3"' },
    });
    expect(refined.status, JSON.stringify(refined.body)).toBe(200);
    expect(refined.body).toMatchObject({ priority: 2, status: "approved", version: 4 });
    expect(refined.body.costEstimate.quotes).toHaveLength(2);
    const tooLate = await call("PATCH", `/visits/${visitId}`, {
      roles: PROTOCOL,
      body: { endDate: "2032-05-20" },
      headers: { "if-match": '"4"' },
    });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.currentStatus).toBe("approved");
  });

  it("ranks the fiscal year's governor trips against the caps", async () => {
    const set = await call("PUT", "/plans/2032", {
      roles: PROTOCOL,
      body: { tripCap: 1, travelBudgetYen: 30_000_000 },
    });
    expect(set.status).toBe(200);
    const plan = await call("GET", "/plans/2032", { roles: ["viewer"] });
    expect(plan.body).toMatchObject({ fiscalYear: 2032, settings: { tripCap: 1, travelBudgetYen: 30_000_000 } });
    expect(plan.body.period).toEqual({ start: "2032-04-01", end: "2033-03-31" });
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
      expect((await call("GET", `/visits/${outboundId}`, { roles: [role] })).status, role).toBe(200);
      expect((await call("POST", "/visits", { roles: [role], body: visitBody(partnerId) })).status, role).toBe(403);
      expect(
        (await call("POST", `/visits/${outboundId}/cancel`, { roles: [role], body: { reason: "x" } })).status,
        role,
      ).toBe(403);
    }
    expect((await call("GET", "/visits", { token: null })).status).toBe(401);
  });

  it("answers bad input on every visit route with 400 naming the fields, writing nothing", async () => {
    const before = await quietEventCount();
    const visitsBefore = (await call("GET", "/visits?limit=100")).body.items.length;
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
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await busEvents()).length).toBe(before);
    expect((await call("GET", "/visits?limit=100")).body.items.length).toBe(visitsBefore);
    expect((await call("GET", `/visits/${id}`)).body.status).toBe("completed");
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
