import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { addDays, fiscalYearOf, tokyoDate } from "@cdp/contracts";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { aContact, anAgreement, anOutboundTrip, aPartner } from "./builders.ts";
import { api, busEvents, call, eventsEndpoint, sesEndpoint, settled, tokenFor } from "./client.ts";

/**
 * The protocol office over the local cloud: the governor's time held by a trip abroad approved through the visit
 * scheduling API, the registry's dormancy review seeing a courtesy call, a mission's national-day greeting sent once
 * however often the schedule fires, and the month's public hospitality list agreeing with the records.
 */

const suffix = randomUUID().slice(0, 8);
const today = tokyoDate(new Date());
const fiscalYear = fiscalYearOf(today);
const PROTOCOL = ["protocol"] as const;

const visitors = [{ name: { ja: "大使", en: "Ambassador" }, title: { ja: "特命全権大使", en: "Ambassador" } }];
/** A call on the governor at 10:00 Tokyo time on a day. */
const governorCall = (date: string, extra: Record<string, unknown> = {}) => ({
  partnerIds: [`e2e-protocol-${suffix}`],
  visitors,
  host: "governor",
  startsAt: `${date}T10:00:00+09:00`,
  durationMinutes: 30,
  topics: ["environment"],
  ...extra,
});

async function fireSchedule(name: string, at: string) {
  const fired = await fetch(`${eventsEndpoint}/schedules/${name}/fire?at=${encodeURIComponent(at)}`, {
    method: "POST",
  });
  expect(fired.status, await fired.clone().text()).toBe(200);
  return ((await fired.json()) as { result: unknown }).result;
}

describe("the protocol office", () => {
  it("refuses a call on the governor on a day abroad, naming the trip, and takes one the day after", async () => {
    const partnerId = `e2e-protocol-${suffix}`;
    expect((await call("POST", "/partners", { body: aPartner(partnerId) })).status).toBe(201);
    // A trip two fiscal years ahead: no other suite's trips, caps or budgets share that year.
    const tripStart = `${fiscalYear + 2}-06-10`;
    const trip = await call("POST", "/visits", {
      roles: [...PROTOCOL],
      body: anOutboundTrip(partnerId, tripStart, addDays(tripStart, 3)),
    });
    expect(trip.status, JSON.stringify(trip.body)).toBe(201);
    const approved = await call("POST", `/visits/${trip.body.id}/approve`, { roles: [...PROTOCOL] });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await settled();

    const refused = await call("POST", "/calls", { roles: [...PROTOCOL], body: governorCall(addDays(tripStart, 3)) });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body).toMatchObject({ rule: "governor-calendar" });
    expect(JSON.stringify(refused.body)).toContain(trip.body.id);

    const accepted = await call("POST", "/calls", { roles: [...PROTOCOL], body: governorCall(addDays(tripStart, 4)) });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    // Its time is held now: another call at the same hour is refused, naming this one.
    const clash = await call("POST", "/calls", { roles: [...PROTOCOL], body: governorCall(addDays(tripStart, 4)) });
    expect(clash.status).toBe(409);
    expect(JSON.stringify(clash.body)).toContain(accepted.body.id);

    // Every role reads the call, nobody but the office its visitors.
    const read = await call("GET", `/calls/${accepted.body.id}`, { roles: ["viewer"] });
    expect(read.status).toBe(200);
    expect(read.body.visitors).toBeUndefined();
    expect((await call("GET", `/calls/${accepted.body.id}/visitors`, { roles: ["viewer"] })).status).toBe(403);
    expect((await call("GET", `/calls/${accepted.body.id}/visitors`, { roles: [...PROTOCOL] })).body.visitors).toEqual(
      visitors,
    );
  });

  it("lets the registry's dormancy review see a courtesy call with a partner", async () => {
    // Two partners related by an agreement of 2020, with no exchange since: due to go dormant.
    const [called, silent] = [`e2e-called-${suffix}`, `e2e-silent-${suffix}`];
    for (const id of [called, silent]) {
      expect((await call("POST", "/partners", { body: aPartner(id) })).status).toBe(201);
      const agreed = await call("POST", `/partners/${id}/agreements`, {
        body: anAgreement({ signedOn: "2020-04-01" }),
      });
      expect(agreed.status, JSON.stringify(agreed.body)).toBe(201);
    }
    // A vice-governor received the called partner's delegation this morning (a call takes none of the governor's time).
    const scheduled = await call("POST", "/calls", {
      roles: [...PROTOCOL],
      body: governorCall(today, { partnerIds: [called], host: "vice-governor", startsAt: `${today}T00:05:00+09:00` }),
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    const completed = await call("POST", `/calls/${scheduled.body.id}/complete`, {
      roles: [...PROTOCOL],
      body: { publicSummary: { ja: "環境分野の協力を確認", en: "Cooperation on the environment confirmed" } },
    });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    await settled();

    const review = (await fireSchedule("city-registry.dormancy-review", new Date().toISOString())) as {
      markedDormant: string[];
    };
    expect(review.markedDormant).toContain(silent);
    expect(review.markedDormant).not.toContain(called);
    const partner = await call("GET", `/partners/${called}`, { roles: ["viewer"] });
    expect(partner.body.relation.status).toBe("established");
  });

  it("sends a mission's national-day greeting once, reviewed the day before, however often the schedule fires", async () => {
    const missionId = `e2e-mission-${suffix}`;
    const address = `protocol-${suffix}@embassy.example`;
    // Its national day is tomorrow: today is the day before, when the governor's office reviews the text.
    const nationalDay = addDays(today, 1);
    const registered = await call("POST", "/missions", {
      roles: [...PROTOCOL],
      body: {
        id: missionId,
        country: "FR",
        kind: "embassy",
        name: { ja: `テスト大使館${suffix}`, en: `Test Embassy ${suffix}` },
        contacts: [aContact(address, { preferredLanguage: "ja" })],
        nationalDay: {
          kind: "fixed",
          monthDay: nationalDay.slice(5),
          occasion: { ja: "建国記念日", en: "National Day" },
        },
      },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const mailTo = async () => {
      await settled();
      const { emails } = (await (await fetch(`${sesEndpoint}/store`)).json()) as {
        emails: { destination: { to: string[] }; subject: string }[];
      };
      return emails.filter((email) => email.destination.to.includes(address));
    };

    // This morning's run drafts it, listed by the day it is for; approved today, it waits for its day.
    await fireSchedule("protocol.national-days", `${today}T08:00:00+09:00`);
    const due = await call("GET", `/greetings?from=${nationalDay}&to=${nationalDay}&status=drafted`, {
      roles: ["viewer"],
    });
    const greeting = due.body.items.find((item: { missionId: string }) => item.missionId === missionId);
    expect(greeting, JSON.stringify(due.body)).toBeDefined();
    const approved = await call("POST", `/greetings/${greeting.greetingId}/approve`, { roles: [...PROTOCOL] });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe("approved");
    expect(await mailTo()).toEqual([]);

    // On the day, the schedule fires twice: the approved text goes out once.
    for (let run = 0; run < 2; run++) await fireSchedule("protocol.national-days", `${nationalDay}T08:00:00+09:00`);
    const received = await mailTo();
    expect(received).toHaveLength(1);
    expect(received[0]?.subject).toContain("建国記念日");
    const released = (await busEvents("NationalDayGreetingReleased.v1")).filter(
      (event) => event.detail.missionId === missionId,
    );
    expect(released).toHaveLength(1);
    const notices = await call("GET", `/notices?partnerId=${missionId}`, { roles: ["international-affairs"] });
    expect(notices.body.items.map((notice: { status: string; kind: string }) => [notice.kind, notice.status])).toEqual([
      ["national-day-greeting", "sent"],
    ]);
  });

  it("publishes the governor's hospitality of a month as recorded, in JSON and CSV", async () => {
    const month = `${fiscalYear + 2}-01`;
    const record = async (day: string, host: string, costYen: number) => {
      const recorded = await call("POST", "/hospitality", {
        roles: [...PROTOCOL],
        body: {
          date: `${month}-${day}`,
          kind: "dinner",
          occasion: { ja: `大使歓迎夕食会${day}`, en: `Dinner for the ambassador ${day}` },
          host,
          counterpart: { name: { ja: "駐日フランス大使館", en: "Embassy of France in Japan" } },
          guestCount: 12,
          principalGuests: [{ name: { ja: "大使", en: "Ambassador" }, title: { ja: "大使", en: "Ambassador" } }],
          venue: { ja: "都庁", en: "Tokyo Metropolitan Government Building" },
          costYen,
          costLines: [
            { item: "catering", yen: costYen - 20_000 },
            { item: "venue", yen: 20_000 },
          ],
        },
      });
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
      return recorded.body;
    };
    const first = await record("12", "governor", 480_000);
    const second = await record("20", "governor", 215_000);
    await record("21", "vice-governor", 90_000);
    const withdrawn = await record("25", "governor", 300_000);
    expect(
      (
        await call("POST", `/hospitality/${withdrawn.id}/cancel`, {
          roles: [...PROTOCOL],
          body: { reason: "Postponed" },
        })
      ).status,
    ).toBe(200);

    const list = await call("GET", `/hospitality-spending/${month}`, { roles: ["viewer"] });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ month, count: 2, totalYen: 695_000 });
    expect(list.body.rows.map((row: { date: string; amountYen: number }) => [row.date, row.amountYen])).toEqual([
      [first.date, 480_000],
      [second.date, 215_000],
    ]);
    // Guests are not published.
    expect(JSON.stringify(list.body)).not.toContain("Ambassador");

    const csv = await fetch(`${api}/hospitality-spending/${month}?format=csv`, {
      headers: { authorization: `Bearer ${await tokenFor("viewer")}` },
    });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = parse(await csv.text(), { bom: true, relax_column_count: true }) as string[][];
    const amounts = rows.slice(1, -1).map((row) => Number(row.at(-1)));
    expect(amounts).toEqual([480_000, 215_000]);
    expect(Number(rows.at(-1)?.at(-1))).toBe(695_000);
  });

  it("keeps visitors, private givers and officials' addresses out of public views, events and every log line", async () => {
    const visitor = `Visitor ${suffix} Kusanagi`;
    const giver = `Giver ${suffix} Tachibana`;
    const official = `official-${suffix}@embassy.example`;
    const missionId = `e2e-private-${suffix}`;
    expect(
      (
        await call("POST", "/missions", {
          roles: [...PROTOCOL],
          body: {
            id: missionId,
            country: "IT",
            kind: "embassy",
            name: { ja: "テスト", en: "Test" },
            contacts: [aContact(official)],
          },
        })
      ).status,
    ).toBe(201);
    const scheduled = await call("POST", "/calls", {
      roles: [...PROTOCOL],
      body: {
        missionId,
        visitors: [{ name: { ja: visitor, en: visitor }, title: { ja: "公使", en: "Minister" } }],
        host: "vice-governor",
        startsAt: `${today}T00:10:00+09:00`,
        durationMinutes: 20,
      },
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    expect(
      (await call("POST", `/calls/${scheduled.body.id}/complete`, { roles: [...PROTOCOL], body: {} })).status,
    ).toBe(200);
    const gift = await call("POST", "/gifts", {
      roles: [...PROTOCOL],
      body: {
        direction: "received",
        counterpart: { kind: "person", name: giver, affiliation: "Atelier" },
        counterpartLabel: { ja: giver, en: giver },
        occasion: { ja: "表敬訪問", en: "Courtesy call" },
        date: today,
        description: { ja: "漆器", en: "Lacquerware" },
        estimatedValueYen: 30_000,
        custodian: "Protocol Office",
        disposition: "stored",
      },
    });
    expect(gift.status, JSON.stringify(gift.body)).toBe(201);
    await settled();

    const publicViews = [
      await call("GET", `/calls/${scheduled.body.id}`, { roles: ["viewer"] }),
      await call("GET", `/gifts/${gift.body.id}`, { roles: ["viewer"] }),
      await call("GET", `/gifts?from=${today}&to=${today}`, { roles: ["viewer"] }),
      await call("GET", `/missions/${missionId}`, { roles: ["viewer"] }),
    ];
    const events = (await busEvents()).filter((event) => event.source === "tmg.protocol");
    const logFile = process.env.E2E_CLOUD_LOG;
    if (!logFile) throw new Error("E2E_CLOUD_LOG is not set");
    const logs = readFileSync(logFile, "utf8");
    expect(logs).toContain('"service":"protocol"');
    for (const secret of [visitor, giver, official]) {
      for (const view of publicViews) expect(JSON.stringify(view.body), secret).not.toContain(secret);
      expect(JSON.stringify(events), secret).not.toContain(secret);
      expect(logs.includes(secret), secret).toBe(false);
    }
  });
});
