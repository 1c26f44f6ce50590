import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AttributeValue, DynamoDBClient, GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { Role } from "@cdp/contracts";
import { mintToken } from "@cdp/local-cloud/dev-issuer";
import { afterAll, describe, expect, it } from "vitest";
import { aContact, anInboundVisit, aPartner } from "./builders.ts";
import { type BusEvent, busEvents, call, eventsEndpoint, eventually, sesEndpoint, settled } from "./client.ts";
import { consumedBy, logLinesSoFar, parseLog } from "./cloud-log.ts";
import { type CloudProcess, freePorts, READY_WITHIN_MS, startCloudProcess } from "./cloud-process.ts";

/**
 * The fault half of the reliability suite, over the local cloud's real stand-ins:
 *  - the bus down for a while: the relay's attempts are spent, the outbox records are dead-lettered, nothing is
 *    lost; once the bus is back a redrive publishes each write's event once, and every consumer acts once;
 *  - SES down for a while: the notices fail after their retries, the event is dead-lettered; a redrive once SES is
 *    back sends one mail per contact;
 *  - a crash between the state change and the publish: the whole local cloud is killed (SIGKILL, no drain) while
 *    the relay is mid-way through a burst of writes, and started again on the same data: every write's event is
 *    published (at least once: duplicates on the bus are counted), and every consumer acts on it.
 */

const suffix = () => randomUUID().slice(0, 8);
const PROTOCOL: Role[] = ["protocol"];

interface DeadLetter {
  rule: string;
  target: string;
  attempts: number;
  error: string;
  // biome-ignore lint/suspicious/noExplicitAny: a bus event or a stream record, read loosely
  event: any;
}

interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
}

interface NoticeItem {
  visitId: string;
  recipient: string | null;
  status: string;
  attempts: number;
  sesMessageId: string | null;
}

async function deadLetters(endpoint = eventsEndpoint): Promise<DeadLetter[]> {
  return ((await (await fetch(`${endpoint}/dead-letters`)).json()) as { deadLetters: DeadLetter[] }).deadLetters;
}

/** What a stream's dead letter holds: the outbox record the relay could not publish. */
function outboxOf(letter: DeadLetter): { eventId: string; detailType: string; detail: BusEvent["detail"] } {
  const image = letter.event.dynamodb.NewImage;
  return {
    eventId: String(image.pk.S).slice("OUTBOX#".length),
    detailType: String(image.detailType.S),
    detail: JSON.parse(String(image.detail.S)),
  };
}

async function redrive(rule: string): Promise<{ redriven: number; deadLettersLeft: number }> {
  const response = await fetch(`${eventsEndpoint}/dead-letters/redrive?rule=${encodeURIComponent(rule)}`, {
    method: "POST",
  });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body as { redriven: number; deadLettersLeft: number };
}

async function busFault(method: "POST" | "DELETE" | "GET", body?: unknown) {
  const response = await fetch(`${eventsEndpoint}/faults`, {
    method,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the fault list, read loosely
  return { status: response.status, body: (await response.json()) as { faults: any[] } };
}

async function mailTo(address: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address));
}

async function noticesOf(partnerId: string): Promise<NoticeItem[]> {
  const reply = await call("GET", `/notices?partnerId=${partnerId}`, { roles: ["international-affairs"] });
  expect(reply.status).toBe(200);
  return reply.body.items as NoticeItem[];
}

/** A partner of Vietnam with these contacts (none: a partner no notice can reach). */
const partnerBody = (id: string, contacts: Contact[] = []) =>
  aPartner(id, { name: { ja: "フエ市", en: "Hue" }, cooperationAreas: [], contacts });
const contact = (email: string, preferredLanguage: "ja" | "en") =>
  aContact(email, { name: { ja: "担当者", en: "Liaison Officer" }, preferredLanguage });
type Contact = ReturnType<typeof contact>;

async function registerPartner(id: string, contacts: Contact[]): Promise<void> {
  const reply = await call("POST", "/partners", { roles: ["international-affairs"], body: partnerBody(id, contacts) });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
}

/** An inbound visit at deputy level: it holds none of the governor's days, so other files' visits never clash. */
async function confirmedVisit(partnerId: string, startDate: string, endDate: string): Promise<string> {
  const proposed = await call("POST", "/visits", {
    roles: PROTOCOL,
    body: anInboundVisit(partnerId, {
      purposeStatement: { ja: "防災分野の協力に向けた関係構築", en: "Building relations for disaster resilience" },
      startDate,
      endDate,
    }),
  });
  expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
  const visitId = String(proposed.body.id);
  for (const action of ["approve", "confirm"]) {
    const reply = await call("POST", `/visits/${visitId}/${action}`, { roles: PROTOCOL });
    expect(reply.status, `${action}: ${JSON.stringify(reply.body)}`).toBe(200);
  }
  return visitId;
}

/** The figures of a run: in the test's annotations and on the console. */
async function report(annotate: (message: string) => Promise<unknown>, message: string): Promise<void> {
  console.log(message);
  await annotate(message);
}

afterAll(async () => {
  await fetch(`${eventsEndpoint}/faults`, { method: "DELETE" });
  await fetch(`${sesEndpoint}/faults`, { method: "DELETE" });
});

describe("the bus down for a while", () => {
  it("dead-letters the relay's records, loses nothing, and a redrive publishes each write's event once", async ({
    annotate,
  }) => {
    const run = suffix();
    const partners = [0, 1, 2].map((n) => ({ id: `bus-down-${run}-${n}`, email: `intl-${run}-${n}@down.example` }));
    const partnerIds = new Set(partners.map((p) => p.id));
    await settled();
    expect((await busFault("POST", { putEvents: { down: true } })).status).toBe(201);

    for (const partner of partners) await registerPartner(partner.id, [contact(partner.email, "en")]);
    const visitId = await confirmedVisit(partners[0]?.id as string, "2036-05-12", "2036-05-13");
    const mine = (detail: BusEvent["detail"]) => partnerIds.has(detail?.partnerId) || detail?.visitId === visitId;

    // Each table's relay spends its attempts (the SDK's retries within each), then the poller dead-letters the records.
    const letters = await eventually(async () => {
      const stream = (await deadLetters()).filter((d) => d.rule.endsWith("-stream") && mine(outboxOf(d).detail));
      const byRule = (rule: string) => stream.filter((d) => d.rule === rule).map((d) => outboxOf(d).detailType);
      expect(byRule("city-registry-stream")).toEqual(Array(3).fill("PartnerRegistered.v1"));
      expect(byRule("visit-scheduling-stream").sort()).toEqual(["VisitApproved.v1", "VisitConfirmed.v1"]);
      return stream;
    });
    expect(letters.every((d) => d.attempts === 3 && d.target.endsWith("-outbox-relay"))).toBe(true);
    const eventIds = letters.map((d) => outboxOf(d).eventId);
    const onTheBus = async () =>
      (await busEvents()).filter((e) => eventIds.includes(e.detail?.metadata?.eventId) || mine(e.detail));
    expect(await onTheBus()).toEqual([]);
    const down = (await busFault("GET")).body.faults.find((f) => f.putEvents?.down);
    expect(down?.putEvents.refused).toBeGreaterThan(0);

    expect((await busFault("DELETE")).body.faults).toEqual([]);
    // The registry's records first, so that notifications knows the partners' contacts before the confirmation.
    const registry = await redrive("city-registry-stream");
    expect(registry).toEqual({ redriven: 3, deadLettersLeft: 0 });
    await settled();
    const visits = await redrive("visit-scheduling-stream");
    expect(visits).toEqual({ redriven: 2, deadLettersLeft: 0 });
    await settled();

    // Every write's event on the bus exactly once, under the outbox record's id.
    const published = await onTheBus();
    expect(published.map((e) => e.detail.metadata.eventId).sort()).toEqual([...eventIds].sort());
    // Each consumer acted once: a partner copy in notifications and in the staff exchange, one notice and mail, the
    // governor's days abroad in the protocol office, and the reports' read models.
    const consumed = consumedBy(await logLinesSoFar(), eventIds);
    for (const event of published) {
      const byService = consumed.get(event.detail.metadata.eventId);
      if (event["detail-type"] === "PartnerRegistered.v1") {
        expect(byService, event["detail-type"]).toEqual({ notifications: 1, "staff-exchange": 1, reports: 1 });
      } else if (event["detail-type"] === "VisitConfirmed.v1") {
        expect(byService, event["detail-type"]).toEqual({ notifications: 1, protocol: 1, reports: 1 });
      } else {
        expect(Object.values(byService ?? {}).every((n) => n === 1)).toBe(true);
      }
    }
    const first = partners[0] as { id: string; email: string };
    expect(await mailTo(first.email)).toHaveLength(1);
    expect((await noticesOf(first.id)).map((n) => [n.visitId, n.recipient, n.status, n.attempts])).toEqual([
      [visitId, first.email, "sent", 1],
    ]);
    for (const partner of partners.slice(1)) expect(await mailTo(partner.email)).toEqual([]);
    expect(
      (await deadLetters()).filter((d) => d.rule.endsWith("-stream") && eventIds.includes(outboxOf(d).eventId)),
    ).toEqual([]);
    await report(
      annotate,
      `bus down: ${down?.putEvents.refused} PutEvents calls refused; ${letters.length} stream dead letters ` +
        `(${registry.redriven} city-registry, ${visits.redriven} visit-scheduling) redriven; ` +
        `${published.length} events published once each`,
    );
  });
});

describe("SES down for a while", () => {
  it("dead-letters the notification after its retries, and a redrive once SES is back sends one mail each", async ({
    annotate,
  }) => {
    const run = suffix();
    const partnerId = `ses-down-${run}`;
    const contacts = [`kokusai-${run}@ses-down.example`, `intl-${run}@ses-down.example`];
    await registerPartner(partnerId, [contact(contacts[0] as string, "ja"), contact(contacts[1] as string, "en")]);
    await eventually(async () => {
      expect((await busEvents("PartnerRegistered.v1")).some((e) => e.detail.partnerId === partnerId)).toBe(true);
    });
    await settled();
    for (const recipient of contacts) {
      const armed = await fetch(`${sesEndpoint}/faults`, {
        method: "POST",
        body: JSON.stringify({ recipient, failures: 1000, error: "throttled" }),
      });
      expect(armed.status).toBe(201);
    }

    const visitId = await confirmedVisit(partnerId, "2036-07-06", "2036-07-07");
    const ofVisit = (letters: DeadLetter[]) => letters.filter((d) => d.event.detail?.visitId === visitId);
    const [letter] = await eventually(async () => {
      const letters = ofVisit(await deadLetters());
      expect(letters.map((d) => d.rule)).toEqual(["notifications.visit-confirmed"]);
      return letters;
    });
    // Three deliveries of the event (the bus's attempts), three sends each (the notifier's retries), for each contact.
    expect(letter?.attempts).toBe(3);
    const failed = await noticesOf(partnerId);
    expect(failed.map((n) => [n.recipient, n.status, n.attempts]).sort()).toEqual(
      contacts.map((to) => [to, "failed", 9]).sort(),
    );
    for (const to of contacts) expect(await mailTo(to)).toEqual([]);

    expect((await fetch(`${sesEndpoint}/faults`, { method: "DELETE" })).status).toBe(200);
    const redriven = await redrive("notifications.visit-confirmed");
    expect(redriven.redriven).toBeGreaterThanOrEqual(1);
    await settled();

    for (const to of contacts) expect(await mailTo(to), to).toHaveLength(1);
    const notices = await noticesOf(partnerId);
    expect(notices.map((n) => [n.recipient, n.status, n.attempts]).sort()).toEqual(
      contacts.map((to) => [to, "sent", 10]).sort(),
    );
    const messageIds = (await Promise.all(contacts.map(mailTo))).flat().map((m) => m.messageId);
    expect(notices.map((n) => n.sesMessageId).sort()).toEqual(messageIds.sort());
    expect(ofVisit(await deadLetters())).toEqual([]);
    const consumed = consumedBy(await logLinesSoFar(), [letter?.event.detail.metadata.eventId]);
    // Notifications acted once, after the redrive; the reports and the protocol office had taken the confirmation at
    // its first delivery.
    expect([...consumed.values()]).toEqual([{ notifications: 1, protocol: 1, reports: 1 }]);
    await report(
      annotate,
      `SES down: 1 dead letter after ${letter?.attempts} deliveries (notices failed after 9 sends each); ` +
        `redriven ${redriven.redriven} (left ${redriven.deadLettersLeft}); mails then: 1 per contact`,
    );
  });
});

/** The processes under `pid` (DynamoDB Local's Java under the cloud's Node), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("a crash between the state change and the publish", () => {
  const workDir = mkdtempSync(join(tmpdir(), "cdp-faults-"));
  const clouds: CloudProcess[] = [];
  /** DynamoDB Local's process under the killed cloud: stopped here if it outlived it. */
  const dynamoDbLocal: number[] = [];
  afterAll(async () => {
    for (const cloud of clouds) await cloud.stop();
    for (const pid of dynamoDbLocal.filter(alive)) process.kill(pid, "SIGTERM");
    rmSync(workDir, { recursive: true, force: true });
  });

  it("publishes every write's event after the whole local cloud is killed mid-batch, and consumers act once", {
    timeout: 3 * READY_WITHIN_MS,
  }, async ({ annotate }) => {
    const dataDir = join(workDir, "data");
    const logFile = join(workDir, "cloud.log");
    const env = { LOCAL_ISSUER_KEY_FILE: join(workDir, "issuer.json"), LOCAL_SEED: "false", LOG_LEVEL: "INFO" };
    const args = ["--persist", dataDir];
    const ports = await freePorts();
    const first = await startCloudProcess(env, ports, args, logFile);
    clouds.push(first);
    const events = `http://127.0.0.1:${ports.events}`;
    const token = await mintToken(env.LOCAL_ISSUER_KEY_FILE, ["international-affairs"]);
    const register = (id: string) =>
      fetch(`${first.api}/partners`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(partnerBody(id)),
      }).then((response) => response.status);
    // Every consumer warm, as in a cloud that has been running: a kill finds them mid-way through events.
    expect(await register(`warm-${suffix()}`)).toBe(201);
    expect((await fetch(`${events}/settle`, { method: "POST" })).status).toBe(200);
    const registered = async () =>
      ((await (await fetch(`${events}/events?detail-type=PartnerRegistered.v1`)).json()) as { events: BusEvent[] })
        .events;

    // The bus's history is in memory: what it showed before the kill is kept here.
    const seenBeforeKill = new Map<string, BusEvent>();
    const attempted: string[] = [];
    const accepted = new Set<string>();
    const run = suffix();
    let killedWith: { round: number; size: number; published: number; waiting: number } | undefined;
    // A burst of registrations at once; the relay follows the stream in batches. As soon as a quarter or more of the
    // burst's events are on the bus while a write already answered still waits for its event, the whole cloud is
    // killed: some but not all are published, and at least one write is caught between its state change and its
    // publish. Should the relay have published the whole burst between two looks, the next burst is twice as big.
    for (let round = 1, size = 40; round <= 4 && !killedWith; round++, size *= 2) {
      const ids = Array.from({ length: size }, (_, n) => `crash-${run}-${round}-${n}`);
      attempted.push(...ids);
      const burst = new Set(ids);
      let answered = false;
      const writes = Promise.all(
        ids.map((id) =>
          register(id).then(
            (status) => void (status === 201 && accepted.add(id)),
            () => undefined,
          ),
        ),
      ).then(() => {
        answered = true;
      });
      for (;;) {
        const onBus = await registered();
        for (const event of onBus) if (attempted.includes(event.detail.partnerId)) seenBeforeKill.set(event.id, event);
        const publishedIds = new Set(onBus.map((e) => String(e.detail.partnerId)).filter((id) => burst.has(id)));
        const published = publishedIds.size;
        const waiting = ids.filter((id) => accepted.has(id) && !publishedIds.has(id)).length;
        if (published >= size / 4 && waiting > 0) {
          // No drain, no goodbye. DynamoDB Local, under it, stands for the durable DynamoDB: it is not killed with
          // it (a SIGKILL may lose the transaction it acknowledged last) but must stop by itself, cleanly.
          dynamoDbLocal.push(...childrenOf(first.child.pid as number));
          first.child.kill("SIGKILL");
          killedWith = { round, size, published, waiting };
          break;
        }
        // Too late: every answered write of the burst is on the bus.
        if (answered && waiting === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await writes;
    }
    if (!killedWith) throw new Error("the relay published every burst before a look caught it mid-way");
    await new Promise((resolve) =>
      (first.child.exitCode ?? first.child.signalCode) ? resolve(0) : first.child.once("exit", resolve),
    );
    expect(first.child.signalCode).toBe("SIGKILL");
    const deadline = Date.now() + 20_000;
    while (dynamoDbLocal.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(dynamoDbLocal.filter(alive), "DynamoDB Local outlived the killed cloud").toEqual([]);
    expect(existsSync(join(dataDir, "stream-positions"))).toBe(true);

    const second = await startCloudProcess(env, ports, args, logFile);
    clouds.push(second);
    const settle = await fetch(`${events}/settle`, { method: "POST" });
    expect(settle.status, await settle.text()).toBe(200);
    const seenAfter = await registered();

    // The writes that happened: every registration answered 201, and any cut off by the kill that committed.
    const dynamoDb = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${ports.dynamodb}`,
      region: "ap-northeast-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    try {
      const scan = async (table: string, prefix: string) => {
        const items: Record<string, AttributeValue>[] = [];
        let startKey: Record<string, AttributeValue> | undefined;
        do {
          const page = await dynamoDb.send(
            new ScanCommand({
              TableName: table,
              FilterExpression: "begins_with(pk, :prefix)",
              ExpressionAttributeValues: { ":prefix": { S: prefix } },
              ExclusiveStartKey: startKey,
            }),
          );
          items.push(...(page.Items ?? []));
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return items;
      };
      // The outbox records are the list of what must reach the bus: one PartnerRegistered.v1 per registration.
      const outbox = (await scan("city-registry", "OUTBOX#"))
        .map((item) => ({
          eventId: String(item.pk?.S).slice("OUTBOX#".length),
          detailType: String(item.detailType?.S),
          partnerId: String(JSON.parse(String(item.detail?.S)).partnerId),
        }))
        .filter((o) => o.partnerId.startsWith("crash-"));
      const written = new Set(outbox.map((o) => o.partnerId));
      expect(outbox.every((o) => o.detailType === "PartnerRegistered.v1")).toBe(true);
      expect(outbox).toHaveLength(written.size);
      for (const id of accepted) expect(written.has(id), id).toBe(true);
      for (const id of written) expect(attempted).toContain(id);

      // Every write's event published, by its id; the relay may have sent some twice (at least once).
      const crashed = seenAfter.filter((event) => attempted.includes(event.detail.partnerId));
      const sightings = new Map<string, Set<string>>();
      for (const event of [...seenBeforeKill.values(), ...crashed]) {
        const id = String(event.detail.metadata.eventId);
        sightings.set(id, (sightings.get(id) ?? new Set()).add(event.id));
      }
      const outboxIds = new Set(outbox.map((o) => o.eventId));
      expect([...sightings.keys()].filter((id) => !outboxIds.has(id))).toEqual([]);
      const duplicates = [...sightings.values()].filter((envelopes) => envelopes.size > 1).length;
      const idsBefore = new Set([...seenBeforeKill.values()].map((e) => String(e.detail.metadata.eventId)));
      // After the restart: the journal's deliveries made again (same envelope), and events published anew.
      const resumed = crashed.filter((event) => seenBeforeKill.has(event.id)).length;
      const firstAfter = new Set(
        crashed.map((e) => String(e.detail.metadata.eventId)).filter((id) => !idsBefore.has(id)),
      );

      // Each consumer acted on each event, and kept one copy of each partner: no event lost, no second copy.
      const consumers = ["notifications#partner-registered", "staff-exchange#partner-registered"];
      const status = async (consumer: string, eventId: string) => {
        const table = consumer.split("#")[0] as string;
        const { Item } = await dynamoDb.send(
          new GetItemCommand({
            TableName: table,
            Key: { pk: { S: `IDEMPOTENCY#${consumer}` }, sk: { S: `EVENT#${eventId}` } },
            ConsistentRead: true,
          }),
        );
        return Item?.status?.S ?? "never";
      };
      const unconsumed: string[] = [];
      let unseen = 0;
      for (const { eventId, partnerId } of outbox) {
        const states = await Promise.all(consumers.map((consumer) => status(consumer, eventId)));
        if (states.some((state) => state !== "COMPLETED")) unconsumed.push(`${partnerId}: ${states.join(", ")}`);
        // Published in the instant between the last look and the kill, then relayed no more: its consumers tell.
        if (!sightings.has(eventId)) unseen++;
      }
      expect(unconsumed, `of ${outbox.length} events`).toEqual([]);
      for (const table of ["notifications", "staff-exchange"]) {
        const copies = (await scan(table, "PARTNER#crash-"))
          .filter((item) => item.sk?.S === "COPY")
          .map((item) => String(item.pk?.S).slice("PARTNER#".length));
        expect(copies.sort(), table).toEqual([...written].sort());
      }
      const lines = parseLog(readFileSync(logFile, "utf8"));
      const consumed = consumedBy(lines, [...outboxIds]);
      const actedAgain = [...consumed.values()].flatMap((byService) =>
        Object.values(byService).filter((n) => n > 1),
      ).length;
      const deadLettered = (await deadLetters(events)).length;
      expect(deadLettered).toBe(0);
      await report(
        annotate,
        `crash: killed in burst ${killedWith.round} (${killedWith.size} registrations) with ${killedWith.published} of ` +
          `its events on the bus and ${killedWith.waiting} answered writes still waiting for theirs; ${written.size} written; ` +
          `${idsBefore.size} events seen before the kill; after the restart ${resumed} events delivered again from ` +
          `the bus's journal and ${firstAfter.size} published for the first time; ${duplicates} published twice; ` +
          `${unseen} published unseen just before the kill; dead letters: ${deadLettered}; consumers that logged ` +
          `acting twice (acted, killed before recording it, acted again once their claim lapsed): ${actedAgain}`,
      );
    } finally {
      dynamoDb.destroy();
    }
  });
});
