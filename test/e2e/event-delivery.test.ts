import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { type AttributeValue, DynamoDBClient, ListTablesCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { addDays, type Role, tokyoDate } from "@cdp/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services } from "../../infra/services.ts";
import { aContact, anExchangeProgramme, aPartner, aPlacement } from "./builders.ts";
import {
  apiAs,
  type BusEvent,
  busEvents,
  call,
  dataOf,
  eventBridge,
  eventMetadata,
  eventsEndpoint,
  eventually,
  sesEndpoint,
  settled,
} from "./client.ts";

/**
 * The events half of the reliability suite, generated from the service manifests (`infra/services.ts`): for every
 * subscription of every manifest, services to come included,
 * - duplicate delivery: the consumer gets each of its events three more times, twice out of order and once all at
 *   once, and its table, the mail sent and the bus stay as they were after the one delivery it had already;
 * - a malformed event (a required field missing, a field of the wrong type) goes to the dead-letter queue with
 *   the field in the reason, and nothing changes anywhere;
 * - an event for an unknown partner, visit, placement or reference gets the behaviour the service documents
 *   (`UNKNOWN_IDS`); it comes three times, two copies side by side with the first delivery, and the consumer acts
 *   on it (or refuses it) once: the log shows one "event consumed" (or "event refused") line for it.
 * Copies go to one rule only through the local bus's `POST /rules/{rule}/deliver`; foreign and malformed events are
 * put with the SDK's PutEvents, as another producer would. DynamoDB Local is read directly (`E2E_DYNAMODB`): whole
 * tables, nothing excluded, so not even an idempotency record may be written again.
 * A tour over the HTTP API first makes every subscription receive real events; a subscription the tour does not
 * reach, or one without a documented behaviour for unknown ids, fails its tests naming it.
 */

// ---------------------------------------------------------------------------------------------------------------
// The manifests, and what the tests know of them
// ---------------------------------------------------------------------------------------------------------------

type Manifest = (typeof services)[number];
type Subscription = Manifest["subscriptions"][number];
// biome-ignore lint/suspicious/noExplicitAny: event details are read loosely and broken on purpose
type Detail = Record<string, any>;

interface Consumer {
  /** `<service>.<subscription>`: also the name of its rule on the bus. */
  readonly name: string;
  readonly service: Manifest;
  readonly subscription: Subscription;
}

const consumers: Consumer[] = services.flatMap((service) =>
  service.subscriptions.map((subscription) => ({
    name: `${service.name}.${subscription.name}`,
    service,
    subscription,
  })),
);

/** Whether a detail keeps the consumer's contract, and the top-level fields it breaks when not. */
/** The contract a subscription checks an event of this detail-type against (a consumer may take several). */
function contractOf(subscription: Subscription, detailType: string) {
  const contract = subscription.contracts.find((candidate) => candidate.detailType === detailType);
  if (!contract) throw new Error(`${subscription.name} consumes no ${detailType}`);
  return contract;
}

function check(subscription: Subscription, detail: unknown, detailType: string): { ok: boolean; fields: string[] } {
  const schema = contractOf(subscription, detailType).detail as unknown as {
    "~standard": { validate(value: unknown): { issues?: readonly { path?: readonly unknown[] }[] } | Promise<unknown> };
  };
  const result = schema["~standard"].validate(detail);
  if (result instanceof Promise) throw new Error(`the contract of ${subscription.name} validates asynchronously`);
  const issues = result.issues ?? [];
  return {
    ok: issues.length === 0,
    fields: issues.map((issue) => {
      const first = issue.path?.[0];
      return String(typeof first === "object" && first !== null && "key" in first ? first.key : first);
    }),
  };
}

/**
 * What a consumer documents for a contract-valid event naming a partner, visit, placement or hold reference it
 * does not know (every id field replaced by a fresh one). The consumers' refusal policies (`onRefusal`) are passed
 * to the kit in their handler modules, not declared in the manifests, so they cannot be read from there: each entry
 * cites where the behaviour is documented. A subscription missing here fails its test, naming it.
 *  - acts: it is a fact the consumer records as it comes (a copy kept, a no-contact notice logged, a new request);
 *  - ignores: refused, and by the consumer's policy ignored: only its idempotency record is written;
 *  - dead-letters: refused, retried, and dead-lettered with the reason: nothing is written.
 */
type Outcome = "acts" | "ignores" | "dead-letters";
interface Behaviour {
  readonly outcome: Outcome;
  readonly documented: string;
  /** The event brings its own recipients (a greeting): each is written to once, whatever ids it names. */
  readonly mailsItsRecipients?: boolean;
}
const acts = (documented: string, options: { mailsItsRecipients?: boolean } = {}): Behaviour => ({
  outcome: "acts",
  documented,
  ...options,
});
const ignores = (documented: string): Behaviour => ({ outcome: "ignores", documented });
const deadLettered = (documented: string): Behaviour => ({ outcome: "dead-letters", documented });
const noContactNotice =
  "notices.ts planNotices: a partner this service keeps no contact of gets a no-contact record, and no e-mail";

const UNKNOWN_IDS: Readonly<Record<string, (detail: Detail) => Behaviour>> = {
  "city-registry.visit-completed": () =>
    ignores(
      "on-visit-completed.ts: an unknown partner is skipped (not-found: ignore), the registry cannot relate to it",
    ),
  "notifications.partner-registered": () => acts("on-partner-registered.ts: keeps its own copy of every partner"),
  "notifications.partner-updated": () =>
    acts("on-partner-updated.ts: replaces the copy when the snapshot is newer; none kept yet is older"),
  "notifications.visit-confirmed": () => acts(noContactNotice),
  "notifications.visit-cancelled": (detail) =>
    detail.previousStatus === "confirmed"
      ? acts(noContactNotice)
      : ignores("on-visit-cancelled.ts: a visit cancelled before its confirmation is nobody's news (conflict: ignore)"),
  "notifications.placement-funded": () => acts(noContactNotice),
  "notifications.placement-cancelled": (detail) =>
    ["funded", "active"].includes(detail.previousStatus)
      ? acts(noContactNotice)
      : ignores("on-placement-cancelled.ts: a placement cancelled before it was funded is nobody's news"),
  "fund-ledger.hold-requested": () =>
    acts("on-hold-requested.ts: the requester's reference is the idempotency key, a new one is a new request"),
  "fund-ledger.hold-post-requested": () =>
    deadLettered("on-hold-post-requested.ts: a reference not seen yet is retried, then dead-lettered"),
  "fund-ledger.hold-void-requested": () =>
    acts("on-hold-void-requested.ts: a reference not seen yet is closed as voided-before-request"),
  "staff-exchange.hold-placed": () =>
    ignores("on-hold-placed.ts: an answer naming a placement this service never made is logged and ignored"),
  "staff-exchange.hold-rejected": () =>
    ignores("on-hold-rejected.ts: an answer naming a placement this service never made is logged and ignored"),
  "staff-exchange.partner-registered": () => acts("on-partner-registered.ts: keeps the list of partners"),
  "staff-exchange.agreement-concluded": () =>
    acts("on-agreement-concluded.ts: keeps the agreements the registry concluded, whatever the order with the partner"),
  "city-registry.courtesy-call-completed": () =>
    ignores("on-courtesy-call-completed.ts: an unknown partner is skipped (not-found: ignore), as for visits"),
  "notifications.national-day-greeting": () =>
    acts("on-national-day-greeting.ts: a greeting brings its own recipients; a new greeting id is a new notice each", {
      mailsItsRecipients: true,
    }),
  "protocol.governor-abroad": () =>
    acts(
      "governor-time.ts: an approved trip of the governor takes its days, a cancellation frees them (or is kept against a later approval), whatever visit it names; other visits change nothing",
    ),
  "reports.project-events": () =>
    acts(
      "domain/changes.ts: a read model records every fact it is told; an unknown partner, visit or hold gets its own entry",
    ),
  "reports.generate-report": () =>
    deadLettered(
      "report-lifecycle.ts progressReport: a request for a report never asked for is not-found: dead-lettered",
    ),
};

// ---------------------------------------------------------------------------------------------------------------
// Reading the platform: tables, mail, the bus
// ---------------------------------------------------------------------------------------------------------------

const dynamoEndpoint = process.env.E2E_DYNAMODB;
if (!dynamoEndpoint) throw new Error("E2E_DYNAMODB is not set: run these tests through vitest with the e2e setup");
const dynamo = new DynamoDBClient({
  endpoint: dynamoEndpoint,
  region: "ap-northeast-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  requestHandler: { requestTimeout: 15_000 },
});

/** Every item of a table, by `pk|sk`, as canonical JSON: two snapshots are equal when nothing was written. */
type TableSnapshot = Map<string, string>;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The local cloud names each service's table after the service. */
const tableOf = (service: Manifest) => service.name;

async function scanTable(table: string): Promise<TableSnapshot> {
  const items: TableSnapshot = new Map();
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    for (const item of page.Items ?? []) items.set(`${item.pk?.S}|${item.sk?.S}`, canonical(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

interface TableDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

function diff(before: TableSnapshot, after: TableSnapshot): TableDiff {
  return {
    added: [...after.keys()].filter((key) => !before.has(key)),
    removed: [...before.keys()].filter((key) => !after.has(key)),
    changed: [...after.keys()].filter((key) => before.has(key) && before.get(key) !== after.get(key)),
  };
}

const noChange: TableDiff = { added: [], removed: [], changed: [] };

async function mailCount(): Promise<number> {
  const { emails } = (await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: unknown[] };
  return emails.length;
}

/** What a consumer's world looks like: its table, every mail sent and the events on the bus. */
interface Snapshot {
  readonly table: TableSnapshot;
  readonly mails: number;
  readonly events: number;
}

async function snapshotOf(service: Manifest): Promise<Snapshot> {
  await settled();
  const [table, mails, events] = await Promise.all([scanTable(tableOf(service)), mailCount(), busEvents()]);
  return { table, mails, events: events.length };
}

interface DeliveryRecord {
  rule: string;
  eventId: string;
  copy: number;
  status: "running" | "delivered" | "dead-lettered";
  attempts: number;
  result?: { consumed?: string; ignored?: string };
  error?: string;
}

interface DeadLetter {
  rule: string;
  event: BusEvent;
  error: string;
}

async function deliveries(envelopeId?: string): Promise<DeliveryRecord[]> {
  const query = envelopeId ? `?event=${encodeURIComponent(envelopeId)}` : "";
  return ((await (await fetch(`${eventsEndpoint}/deliveries${query}`)).json()) as { deliveries: DeliveryRecord[] })
    .deliveries;
}

async function deadLetters(): Promise<DeadLetter[]> {
  return ((await (await fetch(`${eventsEndpoint}/dead-letters`)).json()) as { deadLetters: DeadLetter[] }).deadLetters;
}

/** `POST /rules/{rule}/deliver`: received events again to that rule's target only; answers once all finished. */
async function deliverTo(
  rule: string,
  plan: { events: string[]; copies?: number; concurrent?: boolean },
): Promise<DeliveryRecord[]> {
  const response = await fetch(`${eventsEndpoint}/rules/${encodeURIComponent(rule)}/deliver`, {
    method: "POST",
    body: JSON.stringify(plan),
  });
  const body = (await response.json()) as { deliveries?: DeliveryRecord[]; message?: string };
  if (response.status !== 200) throw new Error(`deliver to ${rule}: ${response.status} ${body.message}`);
  return body.deliveries ?? [];
}

/** Puts entries as a foreign producer would, with the real SDK; returns their envelope ids. */
async function putEvents(entries: PutEventsRequestEntry[]): Promise<string[]> {
  const ids: string[] = [];
  for (let at = 0; at < entries.length; at += 10) {
    const result = await eventBridge.send(new PutEventsCommand({ Entries: entries.slice(at, at + 10) }));
    expect(result.FailedEntryCount, JSON.stringify(result.Entries)).toBe(0);
    ids.push(...(result.Entries ?? []).map((entry) => String(entry.EventId)));
  }
  return ids;
}

interface LogLine {
  message?: string;
  eventId?: string;
  function_name?: string;
  correlationId?: string;
}

/**
 * The local cloud's log lines about these events (by `eventId`). A request with a fresh correlation id is logged
 * after everything the cloud did before it, so its line in the file marks that the file has caught up.
 */
async function logLinesAbout(eventIds: ReadonlySet<string>): Promise<LogLine[]> {
  const logFile = process.env.E2E_CLOUD_LOG;
  if (!logFile) throw new Error("E2E_CLOUD_LOG is not set");
  const barrier = `e2e-barrier-${randomUUID()}`;
  const reply = await call("GET", "/partners?limit=1", { roles: ["viewer"], headers: { "x-correlation-id": barrier } });
  expect(reply.status).toBe(200);
  return eventually(async () => {
    const text = readFileSync(logFile, "utf8");
    expect(text.includes(barrier), "the log has caught up").toBe(true);
    return text.split("\n").flatMap((line): LogLine[] => {
      const start = line.indexOf("{");
      if (start < 0 || ![...eventIds].some((id) => line.includes(id))) return [];
      try {
        return [JSON.parse(line.slice(start)) as LogLine];
      } catch {
        return [];
      }
    });
  });
}

const entryFor = (subscription: Subscription, detail: Detail, detailType: string): PutEventsRequestEntry => ({
  EventBusName: "city-diplomacy",
  Source: contractOf(subscription, detailType).source,
  DetailType: detailType,
  Detail: JSON.stringify(detail),
});

// ---------------------------------------------------------------------------------------------------------------
// The tour: every subscription receives real events
// ---------------------------------------------------------------------------------------------------------------

const suffix = () => randomUUID().slice(0, 8);
const today = tokyoDate(new Date());
const PROTOCOL: Role[] = ["protocol"];
const coordinator = () => apiAs("exchange-coordinator");

async function registerPartner(id: string, contactEmails: string[]): Promise<void> {
  const reply = await apiAs("international-affairs").POST("/partners", {
    body: aPartner(id, {
      name: { ja: "ダナン市", en: "Da Nang" },
      contacts: contactEmails.map((email, i) => aContact(email, { preferredLanguage: i % 2 === 0 ? "ja" : "en" })),
    }),
  });
  expect(reply.response.status, JSON.stringify(reply.error)).toBe(201);
}

async function changePartner(id: string, cooperationAreas: ("waterworks" | "environment" | "culture")[]) {
  const read = await apiAs("viewer").GET("/partners/{id}", { params: { path: { id } } });
  const etag = String(read.response.headers.get("etag"));
  dataOf(
    await apiAs("international-affairs").PATCH("/partners/{id}", {
      params: { path: { id }, header: { "If-Match": etag } },
      body: { cooperationAreas },
    }),
  );
}

async function concludeAgreement(partnerId: string, en: string): Promise<void> {
  dataOf(
    await apiAs("international-affairs").POST("/partners/{id}/agreements", {
      params: { path: { id: partnerId } },
      body: {
        type: "policy-cooperation",
        title: { ja: "協力に関する覚書", en },
        signedOn: "2026-04-01",
        areas: ["waterworks"],
        reviewOn: "2029-04-01",
      },
    }),
  );
}

const head = (en: string) => ({ name: { ja: en, en }, title: { ja: en, en }, level: "head" as const });

/** A visit taken through these steps; the last may be a cancellation. */
async function visit(
  partnerId: string,
  direction: "outbound" | "inbound",
  startDate: string,
  endDate: string,
  steps: ("approve" | "confirm" | "complete" | "cancel")[],
): Promise<void> {
  const proposed = await apiAs(...PROTOCOL).POST("/visits", {
    body: {
      direction,
      partnerIds: [partnerId],
      delegationHead: direction === "outbound" ? head("Governor of Tokyo") : head("Mayor"),
      purpose: "relationship-building",
      purposeStatement: { ja: "関係構築", en: "Building relations" },
      priority: 1,
      startDate,
      endDate,
      itinerary: [],
      members: [],
      costEstimate:
        direction === "outbound"
          ? {
              breakdown: [{ item: "travel", amountYen: 1_200_000 }],
              quotes: [
                { vendor: "JTB", amountYen: 1_200_000, receivedOn: "2026-10-01" },
                { vendor: "HIS", amountYen: 1_300_000, receivedOn: "2026-10-03" },
              ],
            }
          : { breakdown: [], quotes: [] },
    },
  });
  const id = dataOf(proposed).id;
  const client = apiAs(...PROTOCOL);
  const path = { path: { id } };
  for (const step of steps) {
    const reply =
      step === "approve"
        ? await client.POST("/visits/{id}/approve", { params: path })
        : step === "confirm"
          ? await client.POST("/visits/{id}/confirm", { params: path })
          : step === "complete"
            ? await client.POST("/visits/{id}/complete", { params: path, body: { actualCostYen: 1_100_000 } })
            : await client.POST("/visits/{id}/cancel", { params: path, body: { reason: "The dates no longer suit" } });
    expect(reply.response.status, `${step} visit ${id}: ${JSON.stringify(reply.error)}`).toBe(200);
  }
}

/** An inbound placement of 30 days starting `startsInDays` from today; `otherYen` above ¥5m needs a fund-approver. */
async function placement(programmeId: string, startsInDays: number, otherYen = 0): Promise<string> {
  const _startDate = addDays(today, startsInDays);
  const proposed = await coordinator().POST("/placements", {
    body: aPlacement(
      programmeId,
      { staffId: `dn-${suffix()}`, startsInDays, days: 29 },
      otherYen > 0
        ? {
            estimate: { allowanceYen: 300_000, housingYen: 150_000, travelYen: 90_000, insuranceYen: 10_000, otherYen },
          }
        : {},
    ),
  });
  const id = dataOf(proposed).id;
  dataOf(await coordinator().POST("/placements/{id}/approve", { params: { path: { id } } }));
  return id;
}

async function placementBecomes(id: string, status: string): Promise<void> {
  await eventually(async () => {
    const read = dataOf(await apiAs("viewer").GET("/placements/{id}", { params: { path: { id } } }));
    expect(read.status, `placement ${id}`).toBe(status);
  });
}

const placementStep = async (id: string, step: "start" | "complete" | "cancel") => {
  const params = { path: { id } };
  const reply =
    step === "start"
      ? await coordinator().POST("/placements/{id}/start", { params })
      : step === "complete"
        ? await coordinator().POST("/placements/{id}/complete", {
            params,
            body: {
              actual: {
                allowanceYen: 250_000,
                housingYen: 150_000,
                travelYen: 90_000,
                insuranceYen: 10_000,
                otherYen: 0,
              },
            },
          })
        : await coordinator().POST("/placements/{id}/cancel", {
            params,
            body: { reason: "The host division was reorganised" },
          });
  expect(reply.response.status, `${step} placement ${id}: ${JSON.stringify(reply.error)}`).toBe(200);
};

/** A fund-approver rejects the request the ledger keeps waiting for this placement's estimate. */
async function approverRejects(placementId: string): Promise<void> {
  const request = await eventually(async () => {
    const { items } = dataOf(await apiAs("fund-approver").GET("/approvals"));
    const found = items.find((item) => item.reference === `placement:${placementId}`);
    expect(found, `approval request for placement ${placementId}`).toBeDefined();
    return found as NonNullable<typeof found>;
  });
  dataOf(
    await apiAs("fund-approver").POST("/approvals/{id}/reject", {
      params: { path: { id: request.id }, header: { "Idempotency-Key": `e2e-${randomUUID()}` } },
      body: { reason: "Too dear: lower the estimate" },
    }),
  );
}

/**
 * Registers two partners (one with contacts), changes one twice, concludes two agreements, takes four visits
 * through confirmation, completion and cancellation, and six placements through funding, completion, cancellation
 * and refusal by a fund-approver, completes a courtesy call, greets a mission on its national day, and asks for a
 * report: every subscription of today's manifests gets at least one event (most two or more).
 */
async function tour(): Promise<void> {
  const partnerId = `e2e-delivery-${suffix()}`;
  const quietPartnerId = `e2e-delivery-${suffix()}`;
  await registerPartner(partnerId, [`kokusai@${partnerId}.example`, `intl@${partnerId}.example`]);
  await registerPartner(quietPartnerId, []);
  await changePartner(partnerId, ["waterworks", "environment"]);
  await changePartner(partnerId, ["waterworks", "environment", "culture"]);
  await concludeAgreement(partnerId, "MOU on waterworks cooperation");
  await concludeAgreement(partnerId, "MOU on environmental cooperation");

  const visits = async () => {
    await visit(partnerId, "outbound", "2037-05-10", "2037-05-13", ["approve", "confirm", "complete"]);
    await visit(partnerId, "inbound", "2037-06-20", "2037-06-22", ["approve", "confirm", "complete"]);
    await visit(partnerId, "inbound", "2037-07-01", "2037-07-03", ["approve", "confirm", "cancel"]);
    await visit(partnerId, "inbound", "2037-08-01", "2037-08-02", ["approve", "cancel"]);
  };

  const placements = async () => {
    // The programme rests on a partner the staff exchange learnt of by event.
    const programmeId = await eventually(async () => {
      const created = await coordinator().POST("/exchange-programmes", {
        body: anExchangeProgramme(partnerId, 10, {
          name: { ja: "ダナン市との職員交流", en: "Staff exchange with Da Nang" },
        }),
      });
      expect(created.response.status, JSON.stringify(created.error)).toBe(201);
      return dataOf(created).id;
    });
    const [cancelled1, cancelled2, completed1, completed2, rejected1, rejected2] = await Promise.all([
      placement(programmeId, 20),
      placement(programmeId, 30),
      placement(programmeId, -5),
      placement(programmeId, -8),
      placement(programmeId, 40, 5_500_000),
      placement(programmeId, 50, 5_500_000),
    ]);
    await Promise.all(
      [cancelled1, cancelled2, completed1, completed2].map((id) => placementBecomes(id as string, "funded")),
    );
    await Promise.all([
      ...[cancelled1, cancelled2].map((id) => placementStep(id as string, "cancel")),
      ...[completed1, completed2].map(async (id) => {
        await placementStep(id as string, "start");
        await placementStep(id as string, "complete");
      }),
      ...[rejected1, rejected2].map(async (id) => {
        await approverRejects(id as string);
        await placementBecomes(id as string, "funding-rejected");
      }),
    ]);
  };

  /** A courtesy call with the partner that took place, and a mission greeted on its national day (today). */
  const protocolOffice = async () => {
    const scheduled = await call("POST", "/calls", {
      roles: PROTOCOL,
      body: {
        partnerIds: [partnerId],
        visitors: [{ name: { ja: "市長", en: "Mayor" }, title: { ja: "市長", en: "Mayor" } }],
        host: "vice-governor",
        startsAt: `${today}T00:01:00+09:00`,
        durationMinutes: 30,
        topics: ["waterworks"],
      },
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    const completed = await call("POST", `/calls/${scheduled.body.id}/complete`, { roles: PROTOCOL, body: {} });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    const missionId = `e2e-delivery-${suffix()}`;
    const registered = await call("POST", "/missions", {
      roles: PROTOCOL,
      body: {
        id: missionId,
        country: "VN",
        kind: "consulate-general",
        name: { ja: "テスト総領事館", en: "Test Consulate-General" },
        contacts: [aContact(`protocol@${missionId}.example`)],
        nationalDay: { kind: "fixed", monthDay: today.slice(5), occasion: { ja: "建国記念日", en: "National Day" } },
      },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    for (const at of [`${addDays(today, -1)}T08:00:00+09:00`, `${today}T08:00:00+09:00`]) {
      const fired = await fetch(
        `${eventsEndpoint}/schedules/protocol.national-days/fire?at=${encodeURIComponent(at)}`,
        {
          method: "POST",
        },
      );
      expect(fired.status, await fired.text()).toBe(200);
    }
  };

  await Promise.all([visits(), placements(), protocolOffice()]);
  // What the reports' read models now hold, asked for as a report: the report function's event.
  const asked = await apiAs("international-affairs").POST("/reports", {
    body: { kind: "progress", from: addDays(today, -30), to: today },
  });
  expect(asked.response.status, JSON.stringify(asked.error)).toBe(202);
  await settled();
}

// ---------------------------------------------------------------------------------------------------------------
// Samples, and how to break them
// ---------------------------------------------------------------------------------------------------------------

/** Per consumer at most this many of its events are delivered again: enough for an order, not a flood. */
const MAX_SAMPLES = 4;

/** A new event: its own id, as a producer's outbox would give it. */
const asNewEvent = (detail: Detail): Detail => ({ ...detail, metadata: eventMetadata() });

/** Top-level fields of a detail that a test may break: not the rule's own pattern fields, not the envelope. */
function breakableFields(consumer: Consumer, detail: Detail): string[] {
  const patternDetail = (consumer.subscription.pattern as { detail?: Record<string, unknown> }).detail ?? {};
  return Object.keys(detail).filter((key) => !(key in patternDetail) && key !== "metadata" && key !== "correlationId");
}

function wrongType(value: unknown): unknown {
  if (typeof value === "string") return 12_345;
  if (typeof value === "number") return "not a number";
  if (typeof value === "boolean") return "yes";
  if (Array.isArray(value)) return "not a list";
  return 42;
}

interface Malformed {
  readonly how: string;
  readonly field: string;
  readonly detail: Detail;
  readonly detailType: string;
}

/** The sample with a required field dropped, and with another field (or the same) of the wrong type. */
function malformedFrom(consumer: Consumer, event: BusEvent): Malformed[] {
  const sample: Detail = event.detail;
  const detailType = event["detail-type"];
  const fields = breakableFields(consumer, sample);
  const breaks = (detail: Detail, field: string) =>
    check(consumer.subscription, detail, detailType).fields.includes(field);
  const missing = fields.find((field) => {
    const { [field]: _dropped, ...rest } = sample;
    return breaks(rest, field);
  });
  const mistyped =
    fields.find((field) => field !== missing && breaks({ ...sample, [field]: wrongType(sample[field]) }, field)) ??
    fields.find((field) => breaks({ ...sample, [field]: wrongType(sample[field]) }, field));
  const broken: Malformed[] = [];
  if (missing !== undefined) {
    const { [missing]: _dropped, ...rest } = sample;
    broken.push({ how: `without ${missing}`, field: missing, detail: asNewEvent(rest), detailType });
  }
  if (mistyped !== undefined) {
    broken.push({
      how: `${mistyped} of the wrong type`,
      field: mistyped,
      detail: asNewEvent({ ...sample, [mistyped]: wrongType(sample[mistyped]) }),
      detailType,
    });
  }
  return broken;
}

/** The fields naming an entity or a reference: `id`, `…Id`, `…Ids`, `reference`. */
const ID_FIELD = /^(id|reference)$|Ids?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The sample as a new event whose every id field names something no service knows (the same id, the same fresh one). */
function foreignFrom(sample: Detail): { detail: Detail; replaced: Record<string, string> } {
  const replaced: Record<string, string> = {};
  const fresh = (id: string): string => {
    if (replaced[id] === undefined) {
      const colon = id.indexOf(":");
      replaced[id] = UUID.test(id)
        ? randomUUID()
        : colon > 0
          ? `${id.slice(0, colon)}:unknown-${suffix()}`
          : `unknown-${suffix()}`;
    }
    return replaced[id] as string;
  };
  const detail: Detail = { ...sample };
  for (const [key, value] of Object.entries(sample)) {
    if (!ID_FIELD.test(key)) continue;
    if (typeof value === "string") detail[key] = fresh(value);
    else if (Array.isArray(value)) detail[key] = value.map((v) => (typeof v === "string" ? fresh(v) : v));
  }
  return { detail: asNewEvent(detail), replaced };
}

// ---------------------------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------------------------

interface Row {
  samples: number;
  deliveries: number;
  unchanged: string;
  malformed: string;
  unknownIds: string;
}

describe("every subscription of every manifest, against duplicate, malformed and foreign events", () => {
  /** Per consumer: its events from the tour, in the order the bus received them. */
  const samples = new Map<string, BusEvent[]>();
  /** What each sample's first delivery returned, per consumer and envelope id. */
  const firstResults = new Map<string, unknown>();
  const tourEventIds = new Set<string>();
  const rows = new Map<string, Row>(
    consumers.map((c) => [c.name, { samples: 0, deliveries: 0, unchanged: "-", malformed: "-", unknownIds: "-" }]),
  );
  const timings: string[] = [];

  beforeAll(async () => {
    const started = performance.now();
    const { TableNames: tables = [] } = await dynamo.send(new ListTablesCommand({}));
    for (const service of services) expect(tables, `the table of ${service.name}`).toContain(tableOf(service));
    await settled();
    const before = new Set((await busEvents()).map((e) => e.id));
    await tour();
    const events = (await busEvents()).filter((e) => !before.has(e.id));
    for (const event of events) tourEventIds.add(event.id);
    const byEnvelope = new Map(events.map((e) => [e.id, e]));
    for (const delivery of await deliveries()) {
      const event = byEnvelope.get(delivery.eventId);
      if (!event || delivery.copy !== 1 || delivery.status !== "delivered") continue;
      const list = samples.get(delivery.rule) ?? [];
      if (list.length < MAX_SAMPLES && !list.includes(event)) list.push(event);
      samples.set(delivery.rule, list);
      firstResults.set(`${delivery.rule}|${event.id}`, delivery.result);
    }
    for (const consumer of consumers) {
      const row = rows.get(consumer.name) as Row;
      row.samples = samples.get(consumer.name)?.length ?? 0;
    }
    timings.push(`tour ${((performance.now() - started) / 1000).toFixed(1)} s, ${events.length} events`);
  });

  afterAll(async () => {
    const header = ["subscription", "samples", "deliveries", "unchanged", "malformed → DLQ", "unknown ids"];
    const lines = [...rows].map(([name, r]) => [name, r.samples, r.deliveries, r.unchanged, r.malformed, r.unknownIds]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
    const format = (cells: unknown[]) => cells.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join("  ");
    console.log(
      [format(header), format(widths.map((w) => "-".repeat(w))), ...lines.map(format), "", ...timings].join("\n"),
    );
    dynamo.destroy();
  });

  const samplesOf = (consumer: Consumer): BusEvent[] => {
    const list = samples.get(consumer.name) ?? [];
    if (list.length === 0) throw new Error(`no sample event for ${consumer.name}: extend the tour`);
    return list;
  };

  it("delivers every event of the tour without a dead letter", async () => {
    const dead = (await deadLetters()).filter((d) => tourEventIds.has(d.event.id));
    expect(dead.map((d) => `${d.rule}: ${d.event["detail-type"]}: ${d.error}`)).toEqual([]);
  });

  describe("duplicate delivery: each event three more times, twice out of order, once concurrently", () => {
    let started = 0;
    beforeAll(() => {
      started = performance.now();
    });
    afterAll(() => {
      timings.push(`duplicates ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });

    for (const consumer of consumers) {
      it(`${consumer.name} ends as after one delivery`, async () => {
        const list = samplesOf(consumer);
        const ids = list.map((e) => e.id);
        const before = await snapshotOf(consumer.service);
        const reversed = [...ids].reverse();
        const rotated = [...ids.slice(1), ...ids.slice(0, 1)];
        const shuffled = [...ids].sort(() => Math.random() - 0.5);
        const rounds = [
          // Newest first: the reverse of the order the consumer first had them in.
          await deliverTo(consumer.name, { events: reversed }),
          // Again out of order, one after the other (for a single sample: simply again).
          await deliverTo(consumer.name, { events: ids.length > 2 ? rotated : reversed }),
          // All at once, as EventBridge may run copies side by side.
          await deliverTo(consumer.name, { events: shuffled, concurrent: true }),
        ].flat();
        const row = rows.get(consumer.name) as Row;
        row.deliveries = rounds.length;
        // Each copy got the stored result of the first delivery back: the consumer did not act again.
        expect(
          rounds.map((d) => [d.eventId, d.status, d.result]),
          `${consumer.name}: every copy delivered, answered as the first was`,
        ).toEqual(rounds.map((d) => [d.eventId, "delivered", firstResults.get(`${consumer.name}|${d.eventId}`)]));
        const after = await snapshotOf(consumer.service);
        const changes = diff(before.table, after.table);
        row.unchanged = canonical(changes) === canonical(noChange) && before.mails === after.mails ? "yes" : "NO";
        expect(changes, `${consumer.name}: items of ${tableOf(consumer.service)} written by the copies`).toEqual(
          noChange,
        );
        expect(after.mails, `${consumer.name}: e-mails sent by the copies`).toBe(before.mails);
        expect(after.events, `${consumer.name}: events published because of the copies`).toBe(before.events);
      });
    }
  });

  describe("malformed events: dead-lettered with the reason, nothing changes", () => {
    let started = 0;
    const put = new Map<string, { envelopeId: string; broken: Malformed }[]>();
    const tablesBefore = new Map<string, TableSnapshot>();
    const tablesAfter = new Map<string, TableSnapshot>();
    let mailsBefore = 0;
    let mailsAfter = 0;

    beforeAll(async () => {
      started = performance.now();
      const planned: { consumer: Consumer; broken: Malformed }[] = [];
      for (const consumer of consumers) {
        const sample = samples.get(consumer.name)?.[0];
        if (sample) for (const broken of malformedFrom(consumer, sample)) planned.push({ consumer, broken });
      }
      await settled();
      for (const service of services) tablesBefore.set(service.name, await scanTable(tableOf(service)));
      mailsBefore = await mailCount();
      const ids = await putEvents(
        planned.map(({ consumer, broken }) => entryFor(consumer.subscription, broken.detail, broken.detailType)),
      );
      planned.forEach(({ consumer, broken }, i) => {
        const list = put.get(consumer.name) ?? [];
        list.push({ envelopeId: ids[i] as string, broken });
        put.set(consumer.name, list);
      });
      await settled();
      for (const service of services) tablesAfter.set(service.name, await scanTable(tableOf(service)));
      mailsAfter = await mailCount();
    });

    afterAll(() => {
      timings.push(`malformed ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });

    for (const consumer of consumers) {
      it(`${consumer.name} dead-letters a detail missing a required field or with one of the wrong type`, async () => {
        samplesOf(consumer);
        const sent = put.get(consumer.name) ?? [];
        expect(
          sent.map((s) => s.broken.how),
          `${consumer.name}: a required field to drop and a field to mistype, outside the rule's pattern`,
        ).toHaveLength(2);
        const letters = await deadLetters();
        const outcomes: string[] = [];
        for (const { envelopeId, broken } of sent) {
          const letter = letters.find((d) => d.rule === consumer.name && d.event.id === envelopeId);
          expect(letter?.error, `${consumer.name}, ${broken.how}: the dead letter's reason`).toMatch(
            new RegExp(`breaks its contract at .*\\b${broken.field}\\b`),
          );
          // No rule acted on it: every delivery of it, to whichever rule it matches, was dead-lettered.
          const all = await deliveries(envelopeId);
          expect(all.map((d) => d.status).filter((s) => s !== "dead-lettered")).toEqual([]);
          outcomes.push(broken.how);
        }
        (rows.get(consumer.name) as Row).malformed = outcomes.join("; ");
      });
    }

    it("changes no table and sends no mail", () => {
      for (const service of services) {
        expect(
          diff(tablesBefore.get(service.name) as TableSnapshot, tablesAfter.get(service.name) as TableSnapshot),
          `${service.name}: items written because of malformed events`,
        ).toEqual(noChange);
      }
      expect(mailsAfter).toBe(mailsBefore);
    });
  });

  describe("events for an unknown partner, visit, placement or reference: as the service documents", () => {
    let started = 0;
    /** Foreign hold requests the ledger acted on: voided again at the end, so no money stays held for nothing. */
    const holdReferences: { requester: string; reference: string }[] = [];
    /** Every foreign event put, to count in the log how often its consumer acted on it or refused it. */
    const foreign: { consumer: Consumer; eventId: string; outcome: Outcome }[] = [];

    beforeAll(() => {
      started = performance.now();
    });

    afterAll(async () => {
      if (holdReferences.length > 0) {
        await putEvents(
          holdReferences.map(({ requester, reference }) => ({
            EventBusName: "city-diplomacy",
            Source: "tmg.fund-ledger",
            DetailType: "FundHoldVoidRequested.v1",
            Detail: JSON.stringify({ reference, requester, reason: "e2e clean-up", metadata: eventMetadata() }),
          })),
        );
        await settled();
      }
      timings.push(`unknown ids ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });

    /** One foreign event per documented outcome the consumer's samples lead to (a cancellation: told or not). */
    function foreignCases(
      consumer: Consumer,
    ): { detail: Detail; detailType: string; replaced: Record<string, string>; expected: Behaviour }[] {
      const documented = UNKNOWN_IDS[consumer.name];
      if (!documented) {
        throw new Error(
          `no documented behaviour for an unknown id for ${consumer.name}: add it to UNKNOWN_IDS in event-delivery.test.ts`,
        );
      }
      const cases = samplesOf(consumer).map((sample) => {
        const made = foreignFrom(sample.detail);
        return { ...made, detailType: sample["detail-type"], expected: documented(made.detail) };
      });
      return cases.filter((c, i) => cases.findIndex((other) => other.expected.outcome === c.expected.outcome) === i);
    }

    for (const consumer of consumers) {
      it(`${consumer.name} handles an event naming ids it does not know, delivered thrice, two copies concurrently`, async () => {
        const observedOutcomes: string[] = [];
        for (const { detail, detailType, replaced, expected } of foreignCases(consumer)) {
          expect(Object.keys(replaced), `${consumer.name}: id fields to replace`).not.toEqual([]);
          expect(
            check(consumer.subscription, detail, detailType),
            `${consumer.name}: the foreign event keeps the contract`,
          ).toEqual({
            ok: true,
            fields: [],
          });
          const before = await snapshotOf(consumer.service);
          const [envelopeId] = (await putEvents([entryFor(consumer.subscription, detail, detailType)])) as [string];
          // Two more copies at once, while the first delivery is under way or just after, as EventBridge may.
          await deliverTo(consumer.name, { events: [envelopeId], copies: 2, concurrent: true });
          const after = await snapshotOf(consumer.service);
          foreign.push({ consumer, eventId: detail.metadata.eventId, outcome: expected.outcome });
          const copies = (await deliveries(envelopeId)).filter((d) => d.rule === consumer.name);
          const changes = diff(before.table, after.table);
          const idempotencyRecord = (key: string) =>
            key.startsWith("IDEMPOTENCY#") && key.endsWith(`|EVENT#${detail.metadata.eventId}`);
          const written = [...changes.added, ...changes.changed, ...changes.removed];
          const [first] = copies;
          const observed: Outcome =
            first?.status === "dead-lettered" ? "dead-letters" : first?.result?.ignored ? "ignores" : "acts";
          observedOutcomes.push(
            observed === expected.outcome ? observed : `${observed} (expected ${expected.outcome})`,
          );
          const context = `${consumer.name} (${expected.documented}); deliveries ${JSON.stringify(copies)}; written ${written.join(", ")}`;
          expect(copies, context).toHaveLength(3);
          expect(observed, context).toBe(expected.outcome);
          if (expected.outcome === "dead-letters") {
            // A copy may meet the claim of another one under way at its last attempt: its letter says so instead.
            for (const copy of copies) {
              expect(copy.status, context).toBe("dead-lettered");
              expect(copy.error, context).toMatch(/does not exist|is being consumed by another invocation/);
            }
            expect(
              copies.some((copy) => /does not exist/.test(String(copy.error))),
              context,
            ).toBe(true);
            expect(changes, context).toEqual(noChange);
          } else {
            // Every copy answered as the first did: one acted (or refused), the others got its stored result.
            expect(
              copies.map((c) => [c.status, c.result]),
              context,
            ).toEqual(copies.map(() => ["delivered", first?.result]));
            const business = written.filter((key) => !idempotencyRecord(key));
            if (expected.outcome === "ignores") expect(business, context).toEqual([]);
            else expect(business.length, context).toBeGreaterThan(0);
            if (expected.outcome === "acts" && detailType === "FundHoldRequested.v1") {
              holdReferences.push({ requester: detail.requester, reference: detail.reference });
            }
          }
          // Nobody is written to about what nobody knows, but for the recipients an event brings itself (once each).
          const recipients = expected.mailsItsRecipients ? (detail.recipients as unknown[]).length : 0;
          expect(after.mails - before.mails, context).toBe(recipients);
        }
        (rows.get(consumer.name) as Row).unknownIds = observedOutcomes.join(", ");
      });
    }

    it("has each consumer act on (or refuse) each of those events once, though it came three times", async () => {
      const eventIds = new Set(foreign.map((f) => f.eventId));
      const lines = await logLinesAbout(eventIds);
      const runs = (f: (typeof foreign)[number], message: string) =>
        lines.filter(
          (l) =>
            l.eventId === f.eventId &&
            l.message === message &&
            l.function_name === `${f.consumer.service.name}-${f.consumer.subscription.name}`,
        ).length;
      const counted = foreign
        .filter((f) => f.outcome !== "dead-letters")
        .map(
          (f) =>
            `${f.consumer.name} ${f.outcome}: consumed ${runs(f, "event consumed")}, refused ${runs(f, "event refused")}`,
        );
      const expected = foreign
        .filter((f) => f.outcome !== "dead-letters")
        .map(
          (f) =>
            `${f.consumer.name} ${f.outcome}: consumed ${f.outcome === "acts" ? 1 : 0}, refused ${f.outcome === "ignores" ? 1 : 0}`,
        );
      const seen = lines.map((l) => `${l.function_name} ${l.eventId}: ${l.message}`).join("\n");
      expect(counted, `log lines about the foreign events:\n${seen}`).toEqual(expected);
    });
  });
});
