import { randomUUID } from "node:crypto";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { Role } from "@cdp/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anAgreement, anExchangeProgramme, anInboundVisit, aPartner, aPlacement } from "./builders.ts";
import {
  type BusEvent,
  busEvents,
  call,
  eventBridge,
  eventMetadata,
  eventsEndpoint,
  eventually,
  type Reply,
  settled,
} from "./client.ts";
import { FRIENDSHIP_PARTNERS } from "./seed-facts.ts";

/**
 * DynamoDB throttling as AWS does it, over the running local cloud: the functions' DynamoDB calls go through the
 * throttle proxy, which answers 20 % of item reads and writes with ProvisionedThroughputExceededException or
 * ThrottlingException. A realistic mix of API calls across the services runs under it, some at once. Every call
 * must end in its right answer, or in a 503 problem+json with Retry-After once the SDK's retries are spent (never a
 * 500); a write answered 503 must have written nothing, and its retry (the same Idempotency-Key where the route takes
 * one) its right answer. Then every event published must have been delivered, none dead-lettered.
 */

const SHARE = 0.2;
const suffix = () => randomUUID().slice(0, 8);
const tokyoToday = () => new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
const fiscalYear = (() => {
  const today = tokyoToday();
  const year = Number(today.slice(0, 4));
  return Number(today.slice(5, 7)) >= 4 ? year : year - 1;
})();

interface Figures {
  share: number;
  calls: number;
  throttled: number;
}

async function switchFaults(method: "POST" | "DELETE", body?: unknown): Promise<void> {
  const response = await fetch(`${eventsEndpoint}/faults`, {
    method,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  expect(response.status, await response.clone().text()).toBe(method === "POST" ? 201 : 200);
}

async function proxyFigures(): Promise<Figures> {
  const { dynamodb } = (await (await fetch(`${eventsEndpoint}/faults`)).json()) as { dynamodb?: Figures };
  if (!dynamodb) throw new Error("GET /faults shows no DynamoDB throttle proxy");
  return dynamodb;
}

async function deadLetterCount(): Promise<number> {
  const { deadLetters } = (await (await fetch(`${eventsEndpoint}/dead-letters`)).json()) as { deadLetters: unknown[] };
  return deadLetters.length;
}

interface Delivery {
  rule: string;
  eventId: string;
  status: "running" | "delivered" | "dead-lettered";
}

async function deliveries(eventId?: string): Promise<Delivery[]> {
  const query = eventId ? `?event=${encodeURIComponent(eventId)}` : "";
  return ((await (await fetch(`${eventsEndpoint}/deliveries${query}`)).json()) as { deliveries: Delivery[] })
    .deliveries;
}

/** One call of the mix: what was asked, what it should answer without throttling, what it answered. */
interface Answered {
  readonly label: string;
  readonly expected: number;
  readonly reply: Reply;
}

const answered: Answered[] = [];

/** A call of the mix, recorded; `expected` is the status the same call gives with no throttling. */
async function send(
  label: string,
  expected: number,
  method: string,
  path: string,
  options: { roles: Role[]; body?: unknown; headers?: Record<string, string> },
): Promise<Reply> {
  const reply = await call(method, path, options);
  answered.push({ label, expected, reply });
  return reply;
}

/** A read, asked again while it answers 503: any other answer is its answer (`expected` without throttling). */
async function read(label: string, path: string, roles: Role[] = ["admin"], expected = 200): Promise<Reply> {
  for (;;) {
    const reply = await send(label, expected, "GET", path, { roles });
    if (reply.status !== 503) return reply;
  }
}

/**
 * A write, retried while it answers 503 (with the same Idempotency-Key, if any, as a client does), after checking
 * that the 503 left nothing written; gives the answer of the attempt that was not a 503.
 */
async function write(
  label: string,
  expected: number,
  method: string,
  path: string,
  options: { roles: Role[]; body?: unknown; headers?: Record<string, string> },
  nothingWritten: () => Promise<void>,
): Promise<Reply> {
  for (let attempt = 1; ; attempt++) {
    const reply = await send(label, expected, method, path, options);
    if (reply.status !== 503) return reply;
    await nothingWritten();
    if (attempt >= 10) throw new Error(`${label} answered 503 ten times`);
  }
}

const ledgerRequest = (reference: string, amountYen: number) => ({
  reference,
  programme: "staff-exchange",
  fiscalYear,
  amountYen,
  description: { ja: "職員派遣の旅費", en: "Travel for a staff secondment" },
});

/** What the mix made, to find its events afterwards. */
const made = {
  placements: [] as string[],
  partners: [] as string[],
  approvedVisits: [] as string[],
  holdReferences: [] as string[],
  expenseReferences: [] as string[],
  requestedByEvent: [] as string[],
};

async function registerPartner(): Promise<string> {
  const id = `throttle-${suffix()}`;
  const roles: Role[] = ["international-affairs"];
  const created = await write(
    "POST /partners",
    201,
    "POST",
    "/partners",
    { roles, body: aPartner(id, { name: { ja: "スロットル市", en: "Throttle City" } }) },
    async () => {
      expect((await read("GET /partners/{id} (after a 503)", `/partners/${id}`, ["viewer"], 404)).status).toBe(404);
    },
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  made.partners.push(id);
  return id;
}

async function partnerFlow(): Promise<void> {
  const id = await registerPartner();
  const roles: Role[] = ["international-affairs"];
  const concluded = await write(
    "POST /partners/{id}/agreements",
    201,
    "POST",
    `/partners/${id}/agreements`,
    { roles, body: anAgreement() },
    async () => {
      const listed = await read("GET /partners/{id}/agreements (after a 503)", `/partners/${id}/agreements`);
      expect(listed.body.items).toEqual([]);
    },
  );
  expect(concluded.status, JSON.stringify(concluded.body)).toBe(201);
  const partner = await read("GET /partners/{id}", `/partners/${id}`, ["viewer"]);
  expect(partner.body).toMatchObject({ id, version: expect.any(Number) });
}

async function visitFlow(): Promise<void> {
  // A partner id of its own, so that "nothing written" is a visit list to read (proposals need no registered partner).
  const partnerId = `throttle-visit-${suffix()}`;
  const roles: Role[] = ["protocol"];
  const listed = () => read("GET /visits?partnerId (after a 503)", `/visits?partnerId=${partnerId}`);
  const proposed = await write(
    "POST /visits",
    201,
    "POST",
    "/visits",
    { roles, body: anInboundVisit(partnerId) },
    async () => expect((await listed()).body.items).toEqual([]),
  );
  expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
  const id = String(proposed.body.id);
  const approved = await write("POST /visits/{id}/approve", 200, "POST", `/visits/${id}/approve`, { roles }, async () =>
    expect((await read("GET /visits/{id} (after a 503)", `/visits/${id}`)).body.status).toBe("proposed"),
  );
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  expect(approved.body.status).toBe("approved");
  made.approvedVisits.push(id);
  expect((await read("GET /visits/{id}", `/visits/${id}`, ["viewer"])).body.status).toBe("approved");
}

async function ledgerFlow(): Promise<void> {
  const roles: Role[] = ["fund-manager"];
  const holdReference = `placement:throttle-${suffix()}`;
  const holdKey = `throttle-${randomUUID()}`;
  // The ledger's writes keep their first answer per Idempotency-Key, in the same transaction as the change: a retry
  // with the key is the right answer whether or not the first try was written, so that is what is checked.
  const held = await write(
    "POST /holds",
    201,
    "POST",
    "/holds",
    { roles, body: ledgerRequest(holdReference, 300_000), headers: { "idempotency-key": holdKey } },
    async () => undefined,
  );
  expect(held.status, JSON.stringify(held.body)).toBe(201);
  made.holdReferences.push(holdReference);
  const again = await send("POST /holds (same key)", 201, "POST", "/holds", {
    roles,
    body: ledgerRequest(holdReference, 300_000),
    headers: { "idempotency-key": holdKey },
  });
  if (again.status !== 503) {
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(held.body);
  }
  const expenseReference = `expense:throttle-${suffix()}`;
  const spent = await write(
    "POST /expenses",
    201,
    "POST",
    "/expenses",
    {
      roles,
      body: ledgerRequest(expenseReference, 20_000),
      headers: { "idempotency-key": `throttle-${randomUUID()}` },
    },
    async () => undefined,
  );
  expect(spent.status, JSON.stringify(spent.body)).toBe(201);
  made.expenseReferences.push(expenseReference);
  const hold = await read("GET /holds/{id}", `/holds/${held.body.id}`, ["auditor"]);
  expect(hold.body).toMatchObject({ status: "held", amountYen: 300_000 });
}

/**
 * The staff exchange's saga under throttling: a partner of its own, its programme once the staff exchange has the
 * partner from the registry's event, a placement proposed and approved; the ledger's hold funds it, by events.
 */
async function exchangeFlow(): Promise<void> {
  const partnerId = await registerPartner();
  await eventually(async () => {
    const event = (await busEvents("PartnerRegistered.v1")).find((e) => e.detail.partnerId === partnerId);
    expect(event).toBeDefined();
    const mine = await deliveries(event?.id);
    expect(mine.filter((d) => d.rule === "staff-exchange.partner-registered" && d.status === "delivered")).toHaveLength(
      1,
    );
  });
  const roles: Role[] = ["exchange-coordinator"];
  const programme = await write(
    "POST /exchange-programmes",
    201,
    "POST",
    "/exchange-programmes",
    { roles, body: anExchangeProgramme(partnerId) },
    async () => {
      const got = await read(
        "GET /exchange-programmes/{id} (after a 503)",
        `/exchange-programmes/${partnerId}`,
        ["viewer"],
        404,
      );
      expect(got.status).toBe(404);
    },
  );
  expect(programme.status, JSON.stringify(programme.body)).toBe(201);
  const proposed = await write(
    "POST /placements",
    201,
    "POST",
    "/placements",
    { roles, body: aPlacement(partnerId, { staffId: `th-${suffix()}` }) },
    async () => {
      const listed = await read("GET /placements?programmeId (after a 503)", `/placements?programmeId=${partnerId}`);
      expect(listed.body.items).toEqual([]);
    },
  );
  expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
  const id = String(proposed.body.id);
  const approved = await write(
    "POST /placements/{id}/approve",
    200,
    "POST",
    `/placements/${id}/approve`,
    { roles },
    async () =>
      expect((await read("GET /placements/{id} (after a 503)", `/placements/${id}`)).body.status).toBe("applied"),
  );
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  made.placements.push(id);
}

/** A hold the staff exchange asks for by event: the ledger's consumer acts under throttling too. */
async function holdByEvent(): Promise<void> {
  const reference = `placement:throttle-event-${suffix()}`;
  const result = await eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: "city-diplomacy",
          Source: "tmg.fund-ledger",
          DetailType: "FundHoldRequested.v1",
          Detail: JSON.stringify({
            ...ledgerRequest(reference, 40_000),
            requester: "staff-exchange",
            metadata: eventMetadata(),
          }),
        },
      ],
    }),
  );
  expect(result.FailedEntryCount).toBe(0);
  made.requestedByEvent.push(reference);
}

const READS: readonly { label: string; path: string; roles: Role[] }[] = [
  { label: "GET /partners", path: "/partners?category=friendship-city&limit=100", roles: ["viewer"] },
  { label: "GET /partners/{id}", path: `/partners/${FRIENDSHIP_PARTNERS[0]}`, roles: ["viewer"] },
  { label: "GET /targets/progress", path: "/targets/progress?asOf=2017-12-31", roles: ["viewer"] },
  { label: "GET /agreements", path: "/agreements?limit=20", roles: ["viewer"] },
  { label: "GET /visits", path: "/visits?limit=20", roles: ["viewer"] },
  { label: "GET /programmes", path: "/programmes", roles: ["auditor"] },
  { label: "GET /trial-balance", path: "/trial-balance", roles: ["auditor"] },
  { label: "GET /fiscal-years/{fy}/statement", path: `/fiscal-years/${fiscalYear}/statement`, roles: ["auditor"] },
  { label: "GET /exchange-programmes", path: "/exchange-programmes", roles: ["admin"] },
  { label: "GET /notices", path: "/notices", roles: ["auditor"] },
];

/** Runs the tasks `width` at a time, each worker taking the next as soon as its last one ended. */
async function inParallel(tasks: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await (tasks[next++] as () => Promise<void>)();
  };
  await Promise.all(Array.from({ length: width }, worker));
}

describe("DynamoDB throttling at 20 % over the local cloud", () => {
  let eventsBefore = 0;
  let deadLettersBefore = 0;
  let figuresBefore: Figures;

  beforeAll(async () => {
    await settled();
    eventsBefore = (await busEvents()).length;
    deadLettersBefore = await deadLetterCount();
    figuresBefore = await proxyFigures();
    expect(figuresBefore.share).toBe(0);
  });

  afterAll(async () => {
    await switchFaults("DELETE");
  });

  it("answers every call rightly or with 503 and Retry-After, never 500; a 503'd write wrote nothing", async () => {
    await switchFaults("POST", { dynamodb: { throttle: SHARE } });
    expect(((await (await fetch(`${eventsEndpoint}/faults`)).json()) as { faults: unknown[] }).faults).toContainEqual({
      dynamodb: { throttle: SHARE },
    });
    const tasks: (() => Promise<void>)[] = [];
    for (let round = 0; round < 6; round++) {
      tasks.push(partnerFlow, visitFlow, ledgerFlow, holdByEvent);
      if (round % 2 === 0) tasks.push(exchangeFlow);
      for (const { label, path, roles } of READS) tasks.push(async () => void (await read(label, path, roles)));
    }
    try {
      await inParallel(tasks, 6);
    } finally {
      await switchFaults("POST", { dynamodb: { throttle: 0 } });
    }

    const unavailable = answered.filter((a) => a.reply.status === 503);
    const wrong = answered.filter((a) => a.reply.status !== a.expected && a.reply.status !== 503);
    expect(
      wrong.map((a) => `${a.label}: ${a.reply.status} ${JSON.stringify(a.reply.body)}`),
      "answers that are neither right nor 503",
    ).toEqual([]);
    expect(answered.filter((a) => a.reply.status >= 500 && a.reply.status !== 503)).toEqual([]);
    for (const { label, reply } of unavailable) {
      expect(reply.headers.get("retry-after"), label).toMatch(/^[1-9]\d*$/);
      expect(reply.headers.get("content-type"), label).toBe("application/problem+json");
      expect(reply.body, label).toMatchObject({ status: 503, type: expect.stringMatching(/\/unavailable$/) });
    }
    expect(answered.length).toBeGreaterThanOrEqual(100);

    const figures = await proxyFigures();
    const calls = figures.calls - figuresBefore.calls;
    const throttled = figures.throttled - figuresBefore.throttled;
    console.log(
      `throttling at ${SHARE}: ${answered.length} API calls (${unavailable.length} answered 503: ` +
        `${[...new Set(unavailable.map((a) => a.label))].join(", ") || "none"}); the proxy saw ${calls} DynamoDB ` +
        `calls, ${throttled} throttled (${((100 * throttled) / Math.max(calls, 1)).toFixed(1)} %)`,
    );
    // Throttling was on: a plausible share of the functions' calls was throttled.
    expect(calls).toBeGreaterThan(200);
    expect(throttled / calls).toBeGreaterThan(0.1);
    expect(throttled / calls).toBeLessThan(0.3);
  });

  it("at share 1 answers every call 503 with Retry-After and writes nothing; the same write afterwards is right", async () => {
    // Nothing under way: no consumer runs while every call is throttled (it would be retried, then dead-lettered).
    await settled();
    const id = `throttle-all-${suffix()}`;
    const holdReference = `placement:throttle-all-${suffix()}`;
    const holdKey = `throttle-${randomUUID()}`;
    const registration = () =>
      call("POST", "/partners", {
        roles: ["international-affairs"],
        body: aPartner(id, { name: { ja: "スロットル市", en: "Throttle City" } }),
      });
    const hold = () =>
      call("POST", "/holds", {
        roles: ["fund-manager"],
        body: ledgerRequest(holdReference, 300_000),
        headers: { "idempotency-key": holdKey },
      });
    await switchFaults("POST", { dynamodb: { throttle: 1 } });
    let replies: Reply[];
    try {
      replies = await Promise.all([
        call("GET", "/partners?category=friendship-city", { roles: ["viewer"] }),
        call("GET", "/visits?limit=5", { roles: ["viewer"] }),
        registration(),
        hold(),
      ]);
    } finally {
      await switchFaults("POST", { dynamodb: { throttle: 0 } });
    }
    for (const reply of replies) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(503);
      expect(reply.headers.get("retry-after")).toBe("1");
      expect(reply.headers.get("content-type")).toBe("application/problem+json");
      expect(reply.body).toMatchObject({ status: 503, type: expect.stringMatching(/\/unavailable$/) });
    }
    // Nothing was written: the partner is unknown, and the hold's key was not taken (its retry is no replay).
    expect((await call("GET", `/partners/${id}`, { roles: ["viewer"] })).status).toBe(404);
    expect((await registration()).status).toBe(201);
    const held = await hold();
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    expect(held.headers.get("idempotent-replayed")).toBeNull();
    const replayed = await hold();
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.body).toEqual(held.body);
    made.partners.push(id);
    made.holdReferences.push(holdReference);
  });

  it("delivers every event published under throttling once it is off; none is dead-lettered", async () => {
    expect((await proxyFigures()).share).toBe(0);
    await settled();
    let published: BusEvent[] = [];
    await eventually(async () => {
      published = (await busEvents()).slice(eventsBefore);
      const of = (detailType: string, field: string, value: string) =>
        published.filter((e) => e["detail-type"] === detailType && e.detail[field] === value);
      // Each write made its event once: no retry of a write published twice.
      for (const id of made.partners) expect(of("PartnerRegistered.v1", "partnerId", id), id).toHaveLength(1);
      for (const id of made.approvedVisits) expect(of("VisitApproved.v1", "visitId", id), id).toHaveLength(1);
      for (const ref of [...made.holdReferences, ...made.requestedByEvent]) {
        expect(of("FundHoldPlaced.v1", "reference", ref), ref).toHaveLength(1);
      }
      // The saga ran to its end: each approved placement was held for once, and is funded.
      for (const id of made.placements) {
        expect(of("FundHoldPlaced.v1", "reference", `placement:${id}`), id).toHaveLength(1);
        const { status } = await call("GET", `/placements/${id}`, { roles: ["viewer"] }).then((r) => r.body);
        expect(status, id).toBe("funded");
      }
    });
    const ids = new Set(published.map((e) => e.id));
    const mine = (await deliveries()).filter((d) => ids.has(d.eventId));
    expect(mine.filter((d) => d.status !== "delivered")).toEqual([]);
    // Every event matched by a rule was delivered to it: each consumer of PartnerRegistered got each partner.
    for (const event of published.filter((e) => e["detail-type"] === "PartnerRegistered.v1")) {
      expect(mine.filter((d) => d.eventId === event.id).length).toBeGreaterThanOrEqual(2);
    }
    expect(await deadLetterCount()).toBe(deadLettersBefore);
    console.log(
      `after throttling: ${published.length} events published, ${mine.length} deliveries, all delivered; ` +
        `${made.partners.length} partners, ${made.approvedVisits.length} visits approved, ` +
        `${made.holdReferences.length + made.requestedByEvent.length} holds, ${made.expenseReferences.length} expenses, ` +
        `${made.placements.length} placements funded`,
    );
  });
});
