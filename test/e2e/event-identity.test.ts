import { randomUUID } from "node:crypto";
import type { Role } from "@cdp/contracts";
import { afterAll, describe, expect, it } from "vitest";
import { type BusEvent, busEvents, call, eventsEndpoint, eventually, sesEndpoint } from "./client.ts";
import { logLinesSoFar } from "./cloud-log.ts";

/**
 * An event keeps its identity across a relay retry. The local bus is told to accept a PutEvents batch
 * (and deliver it) but answer the relay with a failure, as when the response is lost: the relay sends
 * the batch again, so the same event arrives twice under two envelope ids. Every consumer acts once,
 * because its idempotency keys on `detail.metadata.eventId`, never on the envelope's id.
 */

interface Delivery {
  rule: string;
  eventId: string;
  status: "running" | "delivered" | "dead-lettered";
  attempts: number;
}

interface StoredEmail {
  messageId: string;
  subject: string;
  destination: { to: string[] };
}

interface NoticeItem {
  visitId: string;
  kind: string;
  recipient: string | null;
  status: string;
  attempts: number;
  sesMessageId: string | null;
}

const suffix = () => randomUUID().slice(0, 8);
const PROTOCOL: Role[] = ["protocol"];

/** Arms the bus's fault switch for the next call carrying an event of this detail-type. */
async function loseNextAnswer(detailType: string, answer: "error" | "failed-entries"): Promise<void> {
  const response = await fetch(`${eventsEndpoint}/faults`, {
    method: "POST",
    body: JSON.stringify({ putEvents: { acceptThenFail: 1, answer, detailType } }),
  });
  expect(response.status, await response.text()).toBe(201);
}

async function deliveriesOf(envelopeIds: readonly string[]): Promise<Delivery[]> {
  const { deliveries } = (await (await fetch(`${eventsEndpoint}/deliveries`)).json()) as { deliveries: Delivery[] };
  return deliveries.filter((d) => envelopeIds.includes(d.eventId));
}

async function mailTo(address: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address));
}

/**
 * Waits until the event the relay published for this state change is on the bus twice (same
 * `metadata.eventId`, two envelope ids) and both copies' deliveries to `consumer` have finished.
 */
async function publishedTwiceAndDelivered(
  detailType: string,
  matches: (detail: BusEvent["detail"]) => boolean,
  consumer: string,
): Promise<{ eventId: string; copies: BusEvent[] }> {
  return eventually(async () => {
    const copies = (await busEvents(detailType)).filter((e) => matches(e.detail));
    expect(copies).toHaveLength(2);
    const eventId = String(copies[0]?.detail.metadata.eventId);
    expect(copies.map((c) => c.detail.metadata.eventId)).toEqual([eventId, eventId]);
    expect(copies[0]?.id).not.toBe(copies[1]?.id);
    const deliveries = (await deliveriesOf(copies.map((c) => c.id))).filter((d) => d.rule === consumer);
    expect(deliveries.map((d) => [d.eventId, d.status])).toEqual(copies.map((c) => [c.id, "delivered"]));
    return { eventId, copies };
  }, 20_000);
}

/** What the bus and the log showed, for the run's report. */
function seen(detailType: string, published: { eventId: string; copies: BusEvent[] }, consumed: number): string {
  const envelopes = published.copies.map((c) => c.id).join(", ");
  return `${detailType} eventId ${published.eventId}: on the bus twice (envelopes ${envelopes}), both delivered; consumed ${consumed}×`;
}

function contact(email: string, preferredLanguage: "ja" | "en") {
  return { name: { ja: "担当者", en: "Liaison Officer" }, role: "International relations", email, preferredLanguage };
}

const governor = {
  name: { ja: "東京都知事", en: "Governor of Tokyo" },
  title: { ja: "知事", en: "Governor" },
  level: "head",
};
const mayor = { name: { ja: "市長", en: "Mayor" }, title: { ja: "市長", en: "Mayor" }, level: "head" };

function visitBody(partnerId: string, direction: "outbound" | "inbound", startDate: string, endDate: string) {
  return {
    direction,
    partnerIds: [partnerId],
    delegationHead: direction === "outbound" ? governor : mayor,
    purpose: "relationship-building",
    purposeStatement: { ja: "上下水道分野の協力に向けた関係構築", en: "Building relations for water cooperation" },
    priority: 1,
    startDate,
    endDate,
    itinerary: [],
    members: [],
    // An outbound visit is approved on two vendors' quotes.
    costEstimate:
      direction === "outbound"
        ? {
            breakdown: [{ item: "travel", amountYen: 1_200_000 }],
            quotes: [
              { vendor: "JTB", amountYen: 1_200_000, receivedOn: "2033-12-01" },
              { vendor: "HIS", amountYen: 1_300_000, receivedOn: "2033-12-03" },
            ],
          }
        : { breakdown: [], quotes: [] },
  };
}

async function step(visitId: string, action: "approve" | "confirm" | "complete"): Promise<void> {
  const reply = await call("POST", `/visits/${visitId}/${action}`, {
    roles: PROTOCOL,
    ...(action === "complete" && { body: { actualCostYen: 1_200_000 } }),
  });
  expect(reply.status, `${action}: ${JSON.stringify(reply.body)}`).toBe(200);
}

describe("an event keeps its identity when the relay retries", () => {
  const partnerId = `da-nang-${suffix()}`;
  const jaContact = `kokusai-${suffix()}@danang.example`;
  const enContact = `intl-${suffix()}@danang.example`;
  type Published = Awaited<ReturnType<typeof publishedTwiceAndDelivered>>;
  const visits: { id: string; confirmed: Published; completed: Published }[] = [];

  afterAll(async () => {
    await fetch(`${eventsEndpoint}/faults`, { method: "DELETE" });
  });

  it("delivers a partner registered twice under two envelope ids, and notifications keeps one copy", async ({
    annotate,
  }) => {
    // A 500 after acceptance: the relay's SDK sends the batch again by itself.
    await loseNextAnswer("PartnerRegistered.v1", "error");
    const reply = await call("POST", "/partners", {
      roles: ["international-affairs"],
      body: {
        id: partnerId,
        name: { ja: "ダナン市", en: "Da Nang" },
        kind: "city",
        country: "VN",
        worldRegion: "southeast-asia",
        contacts: [contact(jaContact, "ja"), contact(enContact, "en")],
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);

    const registered = await publishedTwiceAndDelivered(
      "PartnerRegistered.v1",
      (detail) => detail.partnerId === partnerId,
      "notifications.partner-registered",
    );
    const lines = await logLinesSoFar();
    const consumed = lines.filter((l) => l.message === "event consumed" && l.eventId === registered.eventId);
    // Every consumer of the partner acts on it once: Notifications (the copy with contacts), the staff exchange and
    // the reports' read models.
    const byService: Record<string, number> = {};
    for (const line of consumed) byService[String(line.service)] = (byService[String(line.service)] ?? 0) + 1;
    expect(byService).toEqual({ notifications: 1, "staff-exchange": 1, reports: 1 });
    await annotate(seen("PartnerRegistered.v1", registered, consumed.length));
  });

  it("relays each confirmation and completion twice, and every consumer acts on each once", async ({ annotate }) => {
    const plans = [
      { direction: "outbound" as const, startDate: "2034-02-06", endDate: "2034-02-09" },
      { direction: "inbound" as const, startDate: "2034-06-12", endDate: "2034-06-14" },
    ];
    for (const plan of plans) {
      const proposed = await call("POST", "/visits", {
        roles: PROTOCOL,
        body: visitBody(partnerId, plan.direction, plan.startDate, plan.endDate),
      });
      expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
      const visitId = String(proposed.body.id);
      await step(visitId, "approve");

      // Failed entries after acceptance: the relay reports them, and the stream hands them over again.
      await loseNextAnswer("VisitConfirmed.v1", "failed-entries");
      await step(visitId, "confirm");
      const confirmed = await publishedTwiceAndDelivered(
        "VisitConfirmed.v1",
        (detail) => detail.visitId === visitId,
        "notifications.visit-confirmed",
      );

      await loseNextAnswer("VisitCompleted.v1", "error");
      await step(visitId, "complete");
      const completed = await publishedTwiceAndDelivered(
        "VisitCompleted.v1",
        (detail) => detail.visitId === visitId,
        "city-registry.visit-completed",
      );
      visits.push({ id: visitId, confirmed, completed });
    }

    // One e-mail per contact per confirmed visit, and one notice for each, sent at the first attempt.
    expect(await mailTo(jaContact)).toHaveLength(2);
    expect(await mailTo(enContact)).toHaveLength(2);
    const notices = (await call("GET", `/notices?partnerId=${partnerId}`, { roles: ["international-affairs"] })).body
      .items as NoticeItem[];
    expect(notices.map((n) => `${n.visitId} ${n.kind} ${n.recipient}`).sort()).toEqual(
      visits.flatMap((v) => [jaContact, enContact].map((to) => `${v.id} visit-confirmed ${to}`)).sort(),
    );
    expect(notices.every((n) => n.status === "sent" && n.attempts === 1)).toBe(true);
    const messageIds = [...(await mailTo(jaContact)), ...(await mailTo(enContact))].map((m) => m.messageId).sort();
    expect(notices.map((n) => n.sesMessageId).sort()).toEqual(messageIds);

    // The reciprocal head-level visits establish the relation once: one announcement, once on the partner.
    const established = await eventually(async () => {
      const events = (await busEvents("RelationEstablished.v1")).filter((e) => e.detail.partnerId === partnerId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(established[0]?.detail).toMatchObject({ establishedOn: "2034-06-14", basis: "reciprocal-visits" });
    const partner = await call("GET", `/partners/${partnerId}`, { roles: ["viewer"] });
    expect(partner.body.established).toEqual({ on: "2034-06-14", basis: "reciprocal-visits" });

    // The proof that the kit's idempotency did it, not the consumers' own business keys: the second
    // copy of each event never reached a consumer's code (it would log "event consumed" again).
    const lines = await logLinesSoFar();
    for (const visit of visits) {
      for (const [detailType, published] of [
        ["VisitConfirmed.v1", visit.confirmed],
        ["VisitCompleted.v1", visit.completed],
      ] as const) {
        const consumed = lines.filter((l) => l.message === "event consumed" && l.eventId === published.eventId);
        // Once by each consumer: notifications and the protocol office (a confirmation: the governor's days abroad)
        // or the registry (a completion), and the reports.
        const byService: Record<string, number> = {};
        for (const line of consumed) byService[String(line.service)] = (byService[String(line.service)] ?? 0) + 1;
        expect(byService, published.eventId).toEqual(
          detailType === "VisitConfirmed.v1"
            ? { notifications: 1, protocol: 1, reports: 1 }
            : { "city-registry": 1, reports: 1 },
        );
        await annotate(seen(detailType, published, consumed.length));
      }
    }
    await annotate(
      `e-mails per contact: ${(await mailTo(jaContact)).length} and ${(await mailTo(enContact)).length} (one per confirmed visit); notices: ${notices.length}; RelationEstablished.v1 on the bus: ${established.length}`,
    );
    const { deadLetters } = (await (await fetch(`${eventsEndpoint}/dead-letters`)).json()) as {
      deadLetters: { event: { detail: { partnerId?: string; partnerIds?: string[] } } }[];
    };
    expect(
      deadLetters.filter(
        (d) => d.event.detail.partnerId === partnerId || d.event.detail.partnerIds?.includes(partnerId),
      ),
    ).toEqual([]);
  });
});
