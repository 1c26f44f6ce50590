import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AttributeValue, DynamoDBClient, ListTablesCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { type ApiClient, createApiClient, type ResponseBody } from "@cdp/api-client";
import { addDays, daysBetween, fiscalYearOf, type Role, tokyoDate } from "@cdp/contracts";
import { mintToken } from "@cdp/local-cloud/dev-issuer";
import { describe, expect, it } from "vitest";
import type { BusEvent } from "./client.ts";
import { type CloudProcess, READY_WITHIN_MS, startCloudProcess } from "./cloud-process.ts";

/**
 * The staff exchange's saga, at random, over a local cloud of this test's own (nothing mocked). Many placements
 * go through random paths of their life cycle over the HTTP API, with the typed client, while the local bus
 * delivers every event up to three times, shuffled and delayed (its delivery chaos switch), and the cloud is
 * stopped with SIGTERM halfway, right after a round of steps while their events are under way, and started again
 * on the same data. At the end, once the cloud has settled: every outbox item written reached the bus, no orphan
 * hold, the ledger holds exactly the funded and active placements' money (and its books reconcile), no quota is
 * exceeded, and every placement's state is explained by the events on the bus, none acted on twice.
 *
 * `SAGA_SEED` replays a run's choices (every failure names it; timing still varies), `SAGA_PLACEMENTS` sets
 * how many placements (24 by default; more for a longer run).
 */

const SEED = process.env.SAGA_SEED ? Number(process.env.SAGA_SEED) : Math.floor(Math.random() * 2 ** 31);
const PLACEMENTS = process.env.SAGA_PLACEMENTS ? Number(process.env.SAGA_PLACEMENTS) : 24;
/** How many placements act at once in a round: enough for races (the last quota slot), few enough for 2 cores. */
const MAX_PARALLEL = 6;
/** As AWS may: each event to each target 1–3 times, a batch's deliveries shuffled, each delayed up to this. */
const CHAOS = { copies: 3, shuffle: true, maxDelayMs: 250 } as const;
/**
 * Ends a wait for what will never come. Measured on the shared 2-core machine: 40 placements took 50–70 s of
 * driving, starts apart; about three times the slowest, more placements in proportion.
 */
const SAGA_WITHIN_MS = 240_000 * Math.max(1, PLACEMENTS / 40);
/** The ledger's two-person threshold for the staff-exchange programme (the default): above it a person decides. */
const APPROVAL_THRESHOLD_YEN = 5_000_000;
/** The largest placement the approver lets through: a few, so the sum stays well within the ¥100m appropriation. */
const MAX_APPROVED_ABOVE_THRESHOLD = 3;

type Placement = ResponseBody<"/placements/{id}", "get">;
type CostBreakdown = Placement["estimate"]["breakdown"];
type Direction = Placement["direction"];
type Status = Placement["status"];
type Hold = ResponseBody<"/holds/{id}", "get">;

const today = tokyoDate(new Date());
const fiscalYear = fiscalYearOf(today);
const daysIntoYear = daysBetween(`${fiscalYear}-04-01`, today);
const NORMS = { monthlyAllowanceYen: 60_000, monthlyHousingYen: 30_000, monthlyInsuranceYen: 3_000, travelYen: 40_000 };

/** The staff exchange's own estimate from the norms (domain/placement-rules.ts): a month is 30 days. */
function estimateFromNorms(days: number): CostBreakdown {
  const monthly = (perMonth: number) => Math.ceil((perMonth * days) / 30);
  return {
    allowanceYen: monthly(NORMS.monthlyAllowanceYen),
    housingYen: monthly(NORMS.monthlyHousingYen),
    travelYen: NORMS.travelYen,
    insuranceYen: monthly(NORMS.monthlyInsuranceYen),
    otherYen: 0,
  };
}

/** A breakdown of this total: travel first, the rest as allowance. */
function costsOfTotal(totalYen: number): CostBreakdown {
  const travelYen = Math.min(totalYen, NORMS.travelYen);
  return { allowanceYen: totalYen - travelYen, housingYen: 0, travelYen, insuranceYen: 0, otherYen: 0 };
}

/** mulberry32: small, seeded, good enough to draw paths. */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }
}

/** What the run knows beyond one cloud: the stopped cloud's bus (its history is in memory only), and when. */
const run = {
  /** When the saga began: the outbox items it made are those written since. */
  startedAt: new Date().toISOString(),
  stoppedAt: undefined as string | undefined,
  stoppedCloudRecords: [] as BusRecord[],
  /** When the cloud was last asked to settle: what was written before must be on the bus once it answers. */
  lastSettleAskedAt: new Date().toISOString(),
};

// ---------------------------------------------------------------------------------------------------------------
// The cloud of this test: started, stopped and started again on the same data.

interface BusRecord {
  readonly events: BusEvent[];
  readonly deliveries: { rule: string; eventId: string; copy: number; status: string; attempts: number }[];
  readonly deadLetters: { rule: string; error: string; event: BusEvent }[];
}

class SagaCloud {
  private readonly clients = new Map<Role, ApiClient>();

  constructor(
    readonly process: CloudProcess,
    private readonly keyFile: string,
  ) {}

  get events(): string {
    return `http://127.0.0.1:${this.process.ports.events}`;
  }

  /** The typed client front ends use, for one role. */
  as(role: Role): ApiClient {
    let client = this.clients.get(role);
    if (!client) {
      const token = mintToken(this.keyFile, [role], { subject: `saga-${role}` });
      client = createApiClient({ baseUrl: this.process.api, token: () => token });
      this.clients.set(role, client);
    }
    return client;
  }

  /** Resolves once everything under way has finished: every outbox relayed, every delivery (each copy) done. */
  async settled(): Promise<void> {
    run.lastSettleAskedAt = new Date().toISOString();
    const response = await fetch(`${this.events}/settle`, { method: "POST" });
    if (response.status !== 200) throw new Error(`the local cloud did not settle: ${await response.text()}`);
  }

  async switchChaosOn(): Promise<void> {
    const response = await fetch(`${this.events}/faults`, {
      method: "POST",
      body: JSON.stringify({ deliveries: CHAOS }),
    });
    if (response.status !== 201) throw new Error(`delivery chaos refused: ${await response.text()}`);
  }

  async record(signal?: AbortSignal): Promise<BusRecord> {
    const read = async <T>(path: string): Promise<T> =>
      (await fetch(`${this.events}${path}`, { ...(signal && { signal }) })).json() as Promise<T>;
    const [{ events }, { deliveries }, { deadLetters }] = await Promise.all([
      read<{ events: BusEvent[] }>("/events"),
      read<{ deliveries: BusRecord["deliveries"] }>("/deliveries"),
      read<{ deadLetters: BusRecord["deadLetters"] }>("/dead-letters"),
    ]);
    return { events, deliveries, deadLetters };
  }

  /**
   * SIGTERM, reading the bus until its endpoint closes: its history is in memory only, and the relay may still
   * publish while the cloud stops. Resolves with the last record read and the exit code.
   */
  async stop(): Promise<{ record: BusRecord; exitCode: number | null }> {
    const stopped = this.process.stop();
    let record: BusRecord | undefined;
    for (;;) {
      try {
        record = await this.record(AbortSignal.timeout(2000));
      } catch {
        break;
      }
    }
    const exitCode = await stopped;
    if (!record) throw new Error("the bus closed before its history could be read");
    return { record, exitCode };
  }
}

/** An outbox item: an event a service committed with its state change, for the relay to publish. */
interface OutboxItem {
  readonly table: string;
  readonly eventId: string;
  readonly detailType: string;
  readonly createdAt: string;
}

/** DynamoDB Local of the saga's own cloud. */
function dynamoDbOf(cloud: SagaCloud): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: `http://127.0.0.1:${cloud.process.ports.dynamodb}`,
    region: "ap-northeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/**
 * The outbox items of every service's table written since `since`. The items stay a week after they are relayed,
 * so they are the list of what must have reached the bus.
 */
async function outboxSince(cloud: SagaCloud, since: string): Promise<OutboxItem[]> {
  const dynamoDb = dynamoDbOf(cloud);
  try {
    const { TableNames: tables = [] } = await dynamoDb.send(new ListTablesCommand({}));
    const items: OutboxItem[] = [];
    for (const table of tables) {
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await dynamoDb.send(
          new ScanCommand({
            TableName: table,
            FilterExpression: "begins_with(pk, :outbox) AND createdAt >= :since",
            ExpressionAttributeValues: { ":outbox": { S: "OUTBOX#" }, ":since": { S: since } },
            ProjectionExpression: "pk, detailType, createdAt",
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          items.push({
            table,
            eventId: String(item.pk?.S).slice("OUTBOX#".length),
            detailType: String(item.detailType?.S),
            createdAt: String(item.createdAt?.S),
          });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
    }
    return items;
  } finally {
    dynamoDb.destroy();
  }
}

/**
 * The saga's cloud, without the seed: the test opens the fund itself (`openFund`) and registers the partners it
 * needs, so neither start spends its time on seed data the saga never reads.
 */
async function startSagaCloud(env: Record<string, string>): Promise<{ cloud: SagaCloud; startMs: number }> {
  const startedAt = performance.now();
  const cloud = new SagaCloud(
    await startCloudProcess(env, undefined, ["--no-seed"]),
    env.LOCAL_ISSUER_KEY_FILE as string,
  );
  return { cloud, startMs: performance.now() - startedAt };
}

/** What the seed would open the fund with, for the saga: capital, the staff-exchange programme and its appropriation. */
const STAFF_EXCHANGE_APPROPRIATION_YEN = 100_000_000;

async function openFund(cloud: SagaCloud, fiscalYear: number): Promise<void> {
  const manager = cloud.as("fund-manager");
  const key = () => ({ "Idempotency-Key": `saga-${randomUUID()}` });
  const description = { ja: "職員交流の試験", en: "Staff exchange test" };
  ok(
    "capital",
    await manager.POST("/capital", {
      params: { header: key() },
      body: { amountYen: 1_000_000_000, description },
    }),
  );
  ok(
    "programme",
    await manager.POST("/programmes", {
      params: { header: key() },
      body: { id: "staff-exchange", name: { ja: "海外諸都市との職員交流", en: "Staff exchanges with partner cities" } },
    }),
  );
  ok(
    "appropriation",
    await manager.POST("/appropriations", {
      params: { header: key() },
      body: { fiscalYear, programme: "staff-exchange", amountYen: STAFF_EXCHANGE_APPROPRIATION_YEN, description },
    }),
  );
}

/** The body of a 2xx, or an error naming the status and the problem. */
function ok<T>(what: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok || result.data === undefined) {
    throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

/** What a refusal names: the rule broken or the current state. */
const refusalOf = (error: unknown) => error as { rule?: string; currentStatus?: string; detail?: string };

// ---------------------------------------------------------------------------------------------------------------
// Placements and their paths.

/** Where a placement's path ends, drawn up front from its own stream of the seed. */
interface Plan {
  readonly direction: Direction;
  readonly programme: number;
  readonly days: number;
  /** How many days before today it starts (it must be able to start today). */
  readonly startsDaysAgo: number;
  /** Its first estimate is above the two-person threshold: the ledger waits for a fund-approver. */
  readonly aboveThreshold: boolean;
  /** The step from whose state it is cancelled (`approved`: at once after the approval, before the ledger answers). */
  readonly cancelFrom: "applied" | "approved" | "funding-rejected" | "funded" | "active" | null;
  /** Where it is left, if not completed or cancelled. */
  readonly leftAt: "applied" | "funding-rejected" | "funded" | "active" | null;
  readonly topUp: boolean;
}

/** Picks one of `choices` by weight; what the weights leave (up to 1) picks `otherwise`. */
function weighted<T>(random: Random, choices: readonly (readonly [number, T])[], otherwise: T): T {
  let roll = random.next();
  for (const [weight, choice] of choices) {
    if (roll < weight) return choice;
    roll -= weight;
  }
  return otherwise;
}

function drawPlan(random: Random, programmes: number): Plan {
  const days = random.int(10, 184);
  const cancelFrom = weighted<Plan["cancelFrom"]>(
    random,
    [
      [0.05, "applied"],
      [0.12, "approved"],
      [0.04, "funding-rejected"],
      [0.1, "funded"],
      [0.12, "active"],
    ],
    null,
  );
  const leftAt = weighted<Plan["leftAt"]>(
    random,
    [
      [0.05, "applied"],
      [0.05, "funding-rejected"],
      [0.2, "funded"],
      [0.2, "active"],
    ],
    null,
  );
  return {
    direction: random.chance(0.5) ? "inbound" : "outbound",
    programme: random.int(0, programmes - 1),
    days,
    // The term must not have ended long ago: its hold expires 60 days after the end (the expiry schedule runs daily).
    startsDaysAgo: random.int(0, Math.min(days + 58, daysIntoYear)),
    // The way to a refusal by the fund: an estimate a fund-approver must decide on, and rejects.
    aboveThreshold: cancelFrom === "funding-rejected" || leftAt === "funding-rejected" || random.chance(0.08),
    cancelFrom,
    leftAt: cancelFrom === null ? leftAt : null,
    topUp: random.chance(0.35),
  };
}

/** About how many steps a plan takes when nothing is refused: where "half the steps" is. */
function stepsOf(plan: Plan): number {
  if (plan.cancelFrom === "applied" || plan.leftAt === "applied") return plan.cancelFrom ? 2 : 1;
  let steps = 2 + (plan.aboveThreshold ? 2 : 0);
  if (plan.cancelFrom === "approved") return 3;
  if (plan.cancelFrom === "funding-rejected" || plan.leftAt === "funding-rejected") return steps + 1;
  if (plan.cancelFrom === "funded") return steps + 1;
  if (plan.leftAt === "funded") return steps;
  steps += 1 + (plan.topUp ? 2 : 0);
  return plan.leftAt === "active" ? steps : steps + 1;
}

type Phase =
  | "new"
  | "applied"
  | "awaiting-funding"
  | "funding-rejected"
  | "funded"
  | "active"
  | "awaiting-top-up"
  | "done";

const WAITING: readonly Phase[] = ["awaiting-funding", "awaiting-top-up"];

/** Figures of the run, printed at the end. */
const figures = {
  steps: 0,
  rounds: 0,
  settles: 0,
  quotaRefusals: 0,
  approverRejections: 0,
  approverApprovals: 0,
  overHoldRefusals: 0,
  doubleSubmits: 0,
};

class PlacementActor {
  phase: Phase = "new";
  id = "";
  /** The last state read from the API. */
  placement: Placement | undefined;
  /** What the test did to it and what it saw, for a failure's message. */
  readonly journal: string[] = [];
  /** The status it should end in, from what the test did. */
  expectedStatus: Status | undefined;
  private awaitingApprover = false;
  private toppedUp = false;
  private fundingRequests = 0;

  constructor(
    readonly index: number,
    readonly plan: Plan,
    private readonly random: Random,
    private readonly programmeIds: readonly string[],
  ) {}

  get programmeId(): string {
    return this.programmeIds[this.plan.programme] as string;
  }

  get waiting(): boolean {
    return WAITING.includes(this.phase);
  }

  get ready(): boolean {
    return !this.waiting && this.phase !== "done";
  }

  note(what: string): void {
    this.journal.push(`${new Date().toISOString().slice(11, 23)} ${what}`);
  }

  private fail(message: string): never {
    throw new Error(
      `placement #${this.index} ${this.id} (${this.programmeId}): ${message}\n  ${this.journal.join("\n  ")}`,
    );
  }

  private held(): number {
    return (this.placement?.holds ?? []).filter((h) => h.status === "placed").reduce((sum, h) => sum + h.amountYen, 0);
  }

  private end(status: Status): void {
    this.expectedStatus = status;
    this.phase = "done";
  }

  /**
   * Sends a step, and now and then the same step twice at once (a double click, a client's retry): one may take
   * effect, the other is refused with a 409. Answers the one that took effect, or else the first refusal.
   */
  private async submit<Result extends { error?: unknown; response: Response }>(
    what: string,
    send: () => Promise<Result>,
  ): Promise<Result> {
    if (!this.random.chance(0.15)) return send();
    figures.doubleSubmits++;
    const answers = await Promise.all([send(), send()]);
    const taken = answers.filter((answer) => answer.response.ok);
    if (taken.length > 1) this.fail(`${what}, sent twice at once, took effect twice`);
    for (const answer of answers.filter((a) => !a.response.ok && a.response.status !== 409)) {
      this.fail(`${what}, sent twice at once, answered ${answer.response.status} ${JSON.stringify(answer.error)}`);
    }
    this.note(`${what} sent twice at once: ${answers.map((a) => a.response.status).join(" and ")}`);
    return taken[0] ?? (answers[0] as Result);
  }

  /** One step of its path (two for a cancellation at once after approval), as its phase and plan say. */
  async act(cloud: SagaCloud): Promise<void> {
    const coordinator = cloud.as("exchange-coordinator");
    const path = { params: { path: { id: this.id } } };
    const cancel = async (reason: string, incurredYen?: number) => {
      figures.steps++;
      const result = await this.submit("cancel", () =>
        coordinator.POST("/placements/{id}/cancel", {
          ...path,
          body: { reason, ...(incurredYen !== undefined && { incurredYen }) },
        }),
      );
      this.placement = ok(`cancel ${this.id}`, result);
      this.note(`cancel (${reason}${incurredYen !== undefined ? `, incurred ${incurredYen}` : ""}) → cancelled`);
      this.end("cancelled");
    };
    switch (this.phase) {
      case "new": {
        figures.steps++;
        const startDate = addDays(today, -this.plan.startsDaysAgo);
        const estimate = this.plan.aboveThreshold
          ? costsOfTotal(APPROVAL_THRESHOLD_YEN + this.random.int(100_000, 900_000))
          : undefined;
        const result = await this.submit("propose", () =>
          coordinator.POST("/placements", {
            body: {
              programmeId: this.programmeId,
              direction: this.plan.direction,
              person: {
                staffId: `saga-${SEED}-${this.index}`,
                name: { ja: `交流職員${this.index}`, en: `Exchange Officer ${this.index}` },
              },
              personal: { passportNumber: `TK${String(this.index).padStart(7, "0")}` },
              hostOrganisation: { ja: "東京都生活文化局", en: "Bureau of Citizens, Culture and Sports, TMG" },
              hostDepartment: { ja: "都市外交課", en: "City Diplomacy Section" },
              startDate,
              endDate: addDays(startDate, this.plan.days - 1),
              purpose: { ja: "都市間協力の実務研修", en: "On-the-job training in city cooperation" },
              fields: ["city-diplomacy"],
              ...(estimate && { estimate }),
            },
          }),
        );
        this.placement = ok(`propose #${this.index}`, result);
        this.id = this.placement.id;
        this.note(
          `propose ${this.plan.direction} ${startDate} +${this.plan.days}d estimate ${this.placement.estimate.totalYen} → applied`,
        );
        this.phase = "applied";
        return;
      }
      case "applied": {
        if (this.plan.cancelFrom === "applied") return cancel("The candidate withdrew");
        if (this.plan.leftAt === "applied") {
          this.note("left applied");
          return this.end("applied");
        }
        figures.steps++;
        const approved = await this.submit("approve", () => coordinator.POST("/placements/{id}/approve", path));
        if (approved.response.status === 409 && refusalOf(approved.error).rule === "quota") {
          figures.quotaRefusals++;
          this.note(`approve → 409 quota: ${refusalOf(approved.error).detail}`);
          if (this.random.chance(0.5)) return cancel("No quota left this year");
          return this.end("applied");
        }
        this.placement = ok(`approve ${this.id}`, approved);
        this.fundingRequests++;
        this.awaitingApprover = this.placement.estimate.totalYen > APPROVAL_THRESHOLD_YEN;
        this.note(`approve → approved (hold ${this.placement.holds.at(-1)?.reference})`);
        if (this.plan.cancelFrom === "approved") return cancel("Cancelled before the fund answered");
        this.phase = "awaiting-funding";
        return;
      }
      case "funding-rejected": {
        if (this.plan.cancelFrom === "funding-rejected") return cancel("No funding this year");
        if (this.plan.leftAt === "funding-rejected" || this.fundingRequests >= 3) {
          this.note("left funding-rejected");
          return this.end("funding-rejected");
        }
        figures.steps++;
        const lowered = estimateFromNorms(this.plan.days);
        const result = await this.submit("fund", () =>
          coordinator.POST("/placements/{id}/fund", { ...path, body: { estimate: lowered } }),
        );
        this.placement = ok(`fund ${this.id}`, result);
        this.fundingRequests++;
        this.awaitingApprover = this.placement.estimate.totalYen > APPROVAL_THRESHOLD_YEN;
        this.note(`fund again, estimate lowered to ${this.placement.estimate.totalYen} → approved`);
        this.phase = "awaiting-funding";
        return;
      }
      case "funded": {
        if (this.plan.cancelFrom === "funded") return cancel("The host division was reorganised");
        if (this.plan.leftAt === "funded") {
          this.note("left funded");
          return this.end("funded");
        }
        figures.steps++;
        this.placement = ok(
          `start ${this.id}`,
          await this.submit("start", () => coordinator.POST("/placements/{id}/start", path)),
        );
        this.note("start → active");
        this.phase = "active";
        return;
      }
      case "active": {
        const held = this.held();
        if (this.plan.topUp && !this.toppedUp) {
          // Actual costs above what is held are refused until a top-up is placed.
          figures.steps++;
          const over = await coordinator.POST("/placements/{id}/complete", {
            ...path,
            body: { actual: costsOfTotal(held + this.random.int(1, 50_000)) },
          });
          if (over.response.status !== 409 || refusalOf(over.error).rule !== "actual-exceeds-hold") {
            this.fail(
              `completing above the ${held} yen held answered ${over.response.status} ${JSON.stringify(over.error)}`,
            );
          }
          figures.overHoldRefusals++;
          figures.steps++;
          const amountYen = this.random.int(20_000, 200_000);
          this.placement = ok(
            `top up ${this.id}`,
            await this.submit("top-up", () =>
              coordinator.POST("/placements/{id}/top-up", { ...path, body: { amountYen } }),
            ),
          );
          this.toppedUp = true;
          this.note(`complete above the hold → 409 actual-exceeds-hold; top up ${amountYen}`);
          this.phase = "awaiting-top-up";
          return;
        }
        if (this.plan.cancelFrom === "active") return cancel("Recalled early", this.random.int(0, held));
        if (this.plan.leftAt === "active") {
          this.note("left active");
          return this.end("active");
        }
        figures.steps++;
        const estimate = this.placement?.estimate.totalYen ?? 0;
        // With a top-up placed, the actual costs go above the first hold; without, they stay within it.
        const actualYen =
          held > estimate ? this.random.int(estimate + 1, held) : this.random.int(Math.ceil(held * 0.4), held);
        const completed = await this.submit("complete", () =>
          coordinator.POST("/placements/{id}/complete", { ...path, body: { actual: costsOfTotal(actualYen) } }),
        );
        this.placement = ok(`complete ${this.id}`, completed);
        this.note(`complete with actual ${actualYen} (held ${held}) → completed`);
        return this.end("completed");
      }
      default:
        this.fail(`no step from ${this.phase}`);
    }
  }

  /**
   * Reads a waiting placement: has the ledger answered? After the cloud settled, an answer still missing is an
   * event lost, unless a fund-approver must decide first, which the test then does.
   */
  async refresh(cloud: SagaCloud, settled: boolean): Promise<void> {
    const read = ok(
      `read ${this.id}`,
      await cloud.as("viewer").GET("/placements/{id}", { params: { path: { id: this.id } } }),
    );
    this.placement = read;
    if (this.phase === "awaiting-funding") {
      if (read.status === "funded" || read.status === "funding-rejected") {
        this.note(
          `ledger answered → ${read.status}${read.fundingRejection ? ` (${read.fundingRejection.reason})` : ""}`,
        );
        this.phase = read.status;
        this.awaitingApprover = false;
        return;
      }
      if (read.status !== "approved") this.fail(`awaited funding but found ${read.status}`);
      if (!settled) return;
      if (this.awaitingApprover) {
        return this.decideAsApprover(cloud);
      }
      this.fail(
        `still approved after the cloud settled: the ledger's answer never came (${await evidence(cloud, read)})`,
      );
    }
    if (this.phase === "awaiting-top-up") {
      const topUp = read.holds.filter((h) => h.purpose === "top-up").at(-1);
      if (topUp && topUp.status !== "requested") {
        this.note(`top-up ${topUp.reference} → ${topUp.status}`);
        this.phase = "active";
        return;
      }
      if (!settled) return;
      this.fail(
        `top-up still requested after the cloud settled: the ledger's answer never came (${await evidence(cloud, read)})`,
      );
    }
  }

  /** The request above the threshold waits for a second person: a fund-approver rejects it, or now and then approves. */
  private async decideAsApprover(cloud: SagaCloud): Promise<void> {
    const reference = this.placement?.holds.filter((h) => h.purpose === "estimate").at(-1)?.reference;
    const { items } = ok("list approvals", await cloud.as("fund-approver").GET("/approvals"));
    const request = items.find((item) => item.reference === reference && item.status === "awaiting-approval");
    if (!request) this.fail(`no approval request awaits for ${reference} after the cloud settled`);
    const approve =
      this.plan.cancelFrom !== "funding-rejected" &&
      this.plan.leftAt !== "funding-rejected" &&
      figures.approverApprovals < MAX_APPROVED_ABOVE_THRESHOLD &&
      this.random.chance(0.3);
    figures.steps++;
    const params = { path: { id: request.id }, header: { "Idempotency-Key": `saga-${randomUUID()}` } };
    if (approve) {
      figures.approverApprovals++;
      ok(`approve request ${request.id}`, await cloud.as("fund-approver").POST("/approvals/{id}/approve", { params }));
    } else {
      figures.approverRejections++;
      ok(
        `reject request ${request.id}`,
        await cloud
          .as("fund-approver")
          .POST("/approvals/{id}/reject", { params, body: { reason: "Too dear: lower the estimate" } }),
      );
    }
    this.awaitingApprover = false;
    this.note(`fund-approver ${approve ? "approves" : "rejects"} ${reference} (${request.amountYen} yen)`);
  }
}

/**
 * The outbox items written since the saga began and before `writtenBefore` (by default, when the cloud was last asked
 * to settle) that reached neither bus, each with when it was written against the SIGTERM: events committed with their
 * state change and never published.
 */
async function unpublished(
  cloud: SagaCloud,
  writtenBefore = run.lastSettleAskedAt,
): Promise<{ written: number; lost: string[] }> {
  const events = [...run.stoppedCloudRecords, await cloud.record()].flatMap((r) => r.events);
  const onTheBus = new Set(events.map((e) => String(e.detail?.metadata?.eventId)));
  const outbox = (await outboxSince(cloud, run.startedAt)).filter((item) => item.createdAt < writtenBefore);
  const stoppedAt = run.stoppedAt ? Date.parse(run.stoppedAt) : undefined;
  const lost = outbox
    .filter((item) => !onTheBus.has(item.eventId))
    .map((item) => {
      const sinceStop = stoppedAt === undefined ? undefined : Date.parse(item.createdAt) - stoppedAt;
      const whenStopped =
        sinceStop === undefined ? "" : ` (${Math.abs(sinceStop)} ms ${sinceStop < 0 ? "before" : "after"} the SIGTERM)`;
      return `${item.table} ${item.detailType} ${item.eventId} written ${item.createdAt}${whenStopped}`;
    });
  return { written: outbox.length, lost };
}

/** What the buses and the outboxes show of a placement's holds, for a message about a missing answer. */
async function evidence(cloud: SagaCloud, placement: Placement): Promise<string> {
  const events = [...run.stoppedCloudRecords, await cloud.record()].flatMap((r) => r.events);
  const seen = (reference: string) =>
    events
      .filter((e) => e.detail?.reference === reference)
      .map((e) => e["detail-type"])
      .join(", ") || "nothing on either bus";
  const holds = placement.holds.map((h) => `${h.reference} ${h.status}: ${seen(h.reference)}`).join("; ");
  const { lost } = await unpublished(cloud);
  return `${holds}; outbox items never published: ${lost.length > 0 ? lost.join("; ") : "none"}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The events, both clouds' bus history, by what they are about.

/** Events of one detail-type, one per `metadata.eventId` (a relay retry or a restart may publish one twice). */
function distinct(events: readonly BusEvent[], detailType: string): BusEvent[] {
  const byId = new Map<string, BusEvent>();
  for (const event of events) {
    if (event["detail-type"] !== detailType) continue;
    const id = String(event.detail?.metadata?.eventId ?? event.id);
    if (!byId.has(id)) byId.set(id, event);
  }
  return [...byId.values()];
}

/** The cloud's data and key; kept after a failure, for a look at the tables. */
const workDir = mkdtempSync(join(tmpdir(), "cdp-saga-"));

describe("the staff exchange's saga, at random", () => {
  it(`keeps the ledger, the quotas and the placements consistent under at-least-once, unordered delivery and a restart (seed ${SEED})`, {
    timeout: 2 * READY_WITHIN_MS + SAGA_WITHIN_MS,
  }, async () => {
    const startedAt = performance.now();
    const env = { LOCAL_DATA_DIR: join(workDir, "data"), LOCAL_ISSUER_KEY_FILE: join(workDir, "issuer.json") };
    const first = await startSagaCloud(env);
    let cloud = first.cloud;
    const actors: PlacementActor[] = [];
    let restart: { stopMs: number; startMs: number; exitCode: number | null; atStep: number; at: string } | undefined;
    run.startedAt = new Date().toISOString();
    let failed = true;
    let busFigures = "not read";
    let ledgerFigures = "not read";
    let raceFigures = "not read";
    try {
      const scheduler = new Random(SEED);
      const suffix = `${SEED.toString(36)}-${randomUUID().slice(0, 4)}`;

      await openFund(cloud, fiscalYear);
      // Programmes of the test's own, each on a partner it registers. The first has a tight quota (2 placements and
      // 250 days a year each way), so approvals race for its last slots; the others have room for most of theirs.
      const programmeCount = Math.max(3, Math.ceil(PLACEMENTS / 10));
      const programmeIds = Array.from({ length: programmeCount }, (_, i) => `saga-${suffix}-${i}`);
      for (const partnerId of programmeIds) {
        ok(
          `register ${partnerId}`,
          await cloud.as("international-affairs").POST("/partners", {
            body: {
              id: partnerId,
              name: { ja: `交流都市${partnerId}`, en: `Exchange City ${partnerId}` },
              kind: "city",
              country: "AU",
              worldRegion: "oceania",
            },
          }),
        );
      }
      // The staff exchange knows a partner from the registry's event.
      await cloud.settled();
      for (const [index, partnerId] of programmeIds.entries()) {
        const tight = index === 0;
        ok(
          `programme ${partnerId}`,
          await cloud.as("exchange-coordinator").POST("/exchange-programmes", {
            body: {
              partnerId,
              name: { ja: "職員交流", en: "Staff exchange" },
              placementsPerYear: tight ? { outbound: 2, inbound: 2 } : { outbound: 6, inbound: 6 },
              totalDaysPerYear: tight ? { outbound: 250, inbound: 250 } : { outbound: 800, inbound: 800 },
              minDays: 10,
              maxDays: 184,
              costNorms: NORMS,
            },
          }),
        );
      }
      const statement = async () => {
        const { programmes } = ok(
          "statement",
          await cloud.as("auditor").GET("/fiscal-years/{fiscalYear}/statement", { params: { path: { fiscalYear } } }),
        );
        const line = programmes.find((p) => p.programme === "staff-exchange");
        if (!line) throw new Error(`no staff-exchange line in the FY${fiscalYear} statement`);
        return line;
      };
      const before = await statement();
      await cloud.switchChaosOn();

      for (let index = 0; index < PLACEMENTS; index++) {
        const random = new Random(SEED ^ Math.imul(index + 1, 0x9e3779b1));
        actors.push(new PlacementActor(index, drawPlan(random, programmeCount), random, programmeIds));
      }
      const plannedSteps = actors.reduce((sum, actor) => sum + stepsOf(actor.plan), 0);
      const deadline = Date.now() + SAGA_WITHIN_MS;

      // Rounds: a random few placements take a step at once; now and then the cloud settles between rounds, so
      // the ledger's answers sometimes come before the next step and sometimes after.
      while (actors.some((actor) => actor.phase !== "done")) {
        if (Date.now() > deadline) throw new Error(`the saga did not finish in ${SAGA_WITHIN_MS / 1000} s`);
        figures.rounds++;
        const ready = actors.filter((actor) => actor.ready);
        if (ready.length === 0) {
          figures.settles++;
          await cloud.settled();
          for (const actor of actors.filter((a) => a.waiting)) await actor.refresh(cloud, true);
          continue;
        }
        const acting = scheduler.shuffled(ready).slice(0, scheduler.int(1, MAX_PARALLEL));
        await Promise.all(acting.map((actor) => actor.act(cloud)));
        if (!restart && figures.steps >= plannedSteps / 2) {
          // Halfway, right after this round's steps were answered, while their events are still being relayed
          // and delivered (no settling first): SIGTERM, and a new start on the same data. The bus's history is
          // in memory, so the first cloud's is read as it stops.
          const at = new Date().toISOString();
          run.stoppedAt = at;
          const stopAt = performance.now();
          const stopped = await cloud.stop();
          run.stoppedCloudRecords.push(stopped.record);
          const stopMs = performance.now() - stopAt;
          const second = await startSagaCloud(env);
          cloud = second.cloud;
          await cloud.switchChaosOn();
          restart = { at, atStep: figures.steps, exitCode: stopped.exitCode, stopMs, startMs: second.startMs };
          for (const actor of actors) actor.note(`the cloud was stopped (SIGTERM) at ${at} and started again`);
        } else if (scheduler.chance(0.3)) {
          figures.settles++;
          await cloud.settled();
        }
        await Promise.all(actors.filter((a) => a.waiting).map((actor) => actor.refresh(cloud, false)));
      }
      figures.settles++;
      await cloud.settled();
      expect(restart, "the cloud was restarted halfway").toBeDefined();
      expect(restart?.exitCode, "the first cloud stopped cleanly on SIGTERM").toBe(0);

      // ---- What there is at the end.
      const after = await statement();
      const records = [...run.stoppedCloudRecords, await cloud.record()];
      const events = records.flatMap((r) => r.events);
      const ours = new Set(actors.map((a) => a.id));

      // Nothing committed to an outbox is lost, across the restart too: every item is on one of the two buses.
      // Once the cloud is quiet, every item in the tables counts, those written while it settled too.
      const outbox = await unpublished(cloud, new Date().toISOString());
      expect(outbox.lost, `outbox items never published (the cloud was stopped at ${restart?.at})`).toEqual([]);
      const placements = new Map<string, Placement>();
      for (const actor of actors) {
        const placement = ok(
          `read ${actor.id}`,
          await cloud.as("viewer").GET("/placements/{id}", { params: { path: { id: actor.id } } }),
        );
        placements.set(actor.id, placement);
        expect(placement.status, `placement #${actor.index} ${actor.id} ends as the test drove it`).toBe(
          actor.expectedStatus,
        );
      }
      const actorOf = (id: string) => actors.find((a) => a.id === id) as PlacementActor;
      const explain = (id: string) => `placement #${actorOf(id).index} ${id}:\n  ${actorOf(id).journal.join("\n  ")}`;

      // Every hold the ledger placed for a placement of this test: from the placements and from the bus.
      const placedEvents = distinct(events, "FundHoldPlaced.v1").filter((e) =>
        ours.has(String(e.detail.reference).split(":")[1] ?? ""),
      );
      const holdIds = new Set([
        ...placedEvents.map((e) => String(e.detail.holdId)),
        ...[...placements.values()].flatMap((p) => p.holds.flatMap((h) => (h.holdId ? [h.holdId] : []))),
      ]);
      const holds: Hold[] = [];
      for (const holdId of holdIds) {
        holds.push(
          ok(`hold ${holdId}`, await cloud.as("auditor").GET("/holds/{id}", { params: { path: { id: holdId } } })),
        );
      }

      // 0 orphan holds: a hold still held belongs to a live placement that counts it as placed.
      for (const hold of holds) {
        const placementId = hold.reference.split(":")[1] as string;
        const placement = placements.get(placementId);
        expect(placement, `hold ${hold.id} (${hold.reference}) names a placement of this test`).toBeDefined();
        if (!placement) continue;
        const live = placement.status === "funded" || placement.status === "active";
        const own = placement.holds.find((h) => h.reference === hold.reference);
        if (hold.status === "held") {
          expect(
            live,
            `orphan hold ${hold.id} (${hold.reference}, ${hold.amountYen} yen) of a ${placement.status} placement — ${explain(placementId)}`,
          ).toBe(true);
          expect(own, `hold ${hold.reference} as the placement sees it — ${explain(placementId)}`).toMatchObject({
            status: "placed",
            holdId: hold.id,
            amountYen: hold.amountYen,
          });
        } else {
          expect(
            ["posted", "voided"],
            `hold ${hold.id} (${hold.reference}) resolved — ${explain(placementId)}`,
          ).toContain(hold.status);
        }
      }

      // The ledger holds exactly the money of the funded and active placements: estimates plus placed top-ups.
      const live = [...placements.values()].filter((p) => p.status === "funded" || p.status === "active");
      const expectedHeld = live.reduce(
        (sum, p) => sum + p.holds.filter((h) => h.status === "placed").reduce((s, h) => s + h.amountYen, 0),
        0,
      );
      for (const p of live) {
        const estimateHold = p.holds.filter((h) => h.purpose === "estimate" && h.status === "placed");
        expect(
          estimateHold.map((h) => h.amountYen),
          `the estimate hold of ${explain(p.id)}`,
        ).toEqual([p.estimate.totalYen]);
      }
      const heldByLedger = holds.filter((h) => h.status === "held").reduce((sum, h) => sum + h.amountYen, 0);
      expect(heldByLedger, "the holds still held sum to the live placements' money").toBe(expectedHeld);
      expect(
        after.heldYen - before.heldYen,
        "the statement's staff-exchange held amount moved by the live placements' money",
      ).toBe(expectedHeld);
      // What was spent: the actual costs of the completed, what was incurred by those cancelled after the start.
      const expectedSpent = [...placements.values()].reduce(
        (sum, p) => sum + (p.status === "completed" ? (p.actual?.totalYen ?? 0) : (p.cancellation?.incurredYen ?? 0)),
        0,
      );
      expect(after.spentYen - before.spentYen, "the statement's staff-exchange spent amount").toBe(expectedSpent);

      // The ledger's books still balance, and its stored balances are those its entries make (the nightly check, now).
      const trialBalance = ok("trial balance", await cloud.as("auditor").GET("/trial-balance"));
      expect(
        { posted: trialBalance.postedTotalYen, pending: trialBalance.pendingTotalYen },
        "the trial balance's columns sum to zero",
      ).toEqual({ posted: 0, pending: 0 });
      const fired = await fetch(`${cloud.events}/schedules/fund-ledger.reconciliation/fire`, { method: "POST" });
      expect(fired.status, await fired.text()).toBe(200);
      const reconciliation = ok("reconciliation", await cloud.as("auditor").GET("/reconciliation"));
      expect(reconciliation.mismatches, "balances rebuilt from the entries against the stored ones").toEqual([]);
      expect(reconciliation.ok).toBe(true);

      // No quota exceeded, and each programme's use is what its placements take.
      const counts = (p: Placement) =>
        ["approved", "funded", "active", "completed", "funding-rejected"].includes(p.status) ||
        (p.status === "cancelled" && p.cancellation?.fromStatus === "active");
      for (const programmeId of programmeIds) {
        const quota = ok(
          `quota ${programmeId}`,
          await cloud
            .as("viewer")
            .GET("/exchange-programmes/{id}/quota", { params: { path: { id: programmeId }, query: { fiscalYear } } }),
        );
        for (const direction of ["inbound", "outbound"] as const) {
          const { used, quota: limit } = quota[direction];
          expect(used.placements, `${programmeId} ${direction} placements within the quota`).toBeLessThanOrEqual(
            limit.placements,
          );
          expect(used.days, `${programmeId} ${direction} days within the quota`).toBeLessThanOrEqual(limit.days);
          const taking = [...placements.values()].filter(
            (p) => p.programmeId === programmeId && p.direction === direction && counts(p),
          );
          expect(used, `${programmeId} ${direction} use is its placements'`).toEqual({
            placements: taking.length,
            days: taking.reduce((sum, p) => sum + p.days, 0),
          });
        }
      }

      // Every placement's state is explained by its events, and no event acted twice.
      const byPlacement = (detailType: string, id: string) =>
        distinct(events, detailType).filter((e) => e.detail.placementId === id);
      const byReference = (detailType: string, reference: string) =>
        distinct(events, detailType).filter((e) => e.detail.reference === reference);
      for (const [id, p] of placements) {
        const why = explain(id);
        const wasFunded =
          ["funded", "active", "completed"].includes(p.status) ||
          ["funded", "active"].includes(p.cancellation?.fromStatus ?? "");
        const wasStarted = ["active", "completed"].includes(p.status) || p.cancellation?.fromStatus === "active";
        expect(byPlacement("PlacementProposed.v1", id), `proposed once — ${why}`).toHaveLength(1);
        expect(byPlacement("PlacementApproved.v1", id), `one approval per funding request — ${why}`).toHaveLength(
          p.holds.filter((h) => h.purpose === "estimate").length,
        );
        expect(byPlacement("PlacementFunded.v1", id), `funded ${wasFunded ? "once" : "never"} — ${why}`).toHaveLength(
          wasFunded ? 1 : 0,
        );
        expect(
          byPlacement("PlacementStarted.v1", id),
          `started ${wasStarted ? "once" : "never"} — ${why}`,
        ).toHaveLength(wasStarted ? 1 : 0);
        if (p.status === "funding-rejected") {
          expect(byPlacement("PlacementFundingRejected.v1", id).length, `rejected — ${why}`).toBeGreaterThan(0);
        }
        const completedEvents = byPlacement("PlacementCompleted.v1", id);
        expect(completedEvents, `completed ${p.status === "completed" ? "once" : "never"} — ${why}`).toHaveLength(
          p.status === "completed" ? 1 : 0,
        );
        if (p.status === "completed") expect(completedEvents[0]?.detail.actualYen).toBe(p.actual?.totalYen);
        const cancelledEvents = byPlacement("PlacementCancelled.v1", id);
        expect(cancelledEvents, `cancelled ${p.status === "cancelled" ? "once" : "never"} — ${why}`).toHaveLength(
          p.status === "cancelled" ? 1 : 0,
        );

        let postedYen = 0;
        for (const hold of p.holds) {
          const what = `${hold.reference} (${hold.status}) — ${why}`;
          expect(byReference("FundHoldRequested.v1", hold.reference), `requested once: ${what}`).toHaveLength(1);
          const placed = byReference("FundHoldPlaced.v1", hold.reference);
          const rejected = byReference("FundHoldRejected.v1", hold.reference);
          const posted = byReference("FundHoldPosted.v1", hold.reference);
          const voided = byReference("FundHoldVoided.v1", hold.reference);
          expect(placed.length + rejected.length, `placed or rejected at most once: ${what}`).toBeLessThanOrEqual(1);
          expect(posted.length + voided.length, `resolved at most once: ${what}`).toBeLessThanOrEqual(placed.length);
          switch (hold.status) {
            case "requested":
              throw new Error(`still awaiting the ledger after the cloud settled: ${what}`);
            case "placed":
              expect(
                placed.map((e) => e.detail.holdId),
                `placed: ${what}`,
              ).toEqual([hold.holdId]);
              expect(posted.length + voided.length, `still held: ${what}`).toBe(0);
              break;
            case "rejected":
              expect(rejected, `rejected: ${what}`).toHaveLength(1);
              break;
            case "post-requested":
              expect(byReference("FundHoldPostRequested.v1", hold.reference), `post asked: ${what}`).toHaveLength(1);
              if ((hold.postYen ?? 0) > 0) {
                expect(
                  posted.map((e) => e.detail.postedYen),
                  `posted as asked: ${what}`,
                ).toEqual([hold.postYen]);
              } else {
                expect(voided, `a post of 0 voids: ${what}`).toHaveLength(1);
              }
              break;
            case "void-requested":
              expect(byReference("FundHoldVoidRequested.v1", hold.reference), `void asked: ${what}`).toHaveLength(1);
              // A hold placed is voided; one asked for and voided before the ledger placed it never is placed.
              expect(voided, `voided if it was placed: ${what}`).toHaveLength(placed.length);
              expect(posted, `never posted: ${what}`).toHaveLength(0);
              break;
          }
          postedYen += posted.reduce((sum, e) => sum + Number(e.detail.postedYen), 0);
        }
        if (p.status === "completed") expect(postedYen, `posted the actual costs — ${why}`).toBe(p.actual?.totalYen);
        if (p.status === "cancelled")
          expect(postedYen, `posted what was incurred — ${why}`).toBe(p.cancellation?.incurredYen);
      }

      // Dead letters: only copies that found another copy of the same event still being acted on.
      const deadLetters = records.flatMap((r) => r.deadLetters);
      const unexplainedDeadLetters = deadLetters.filter((d) => !/EventInProgress|being consumed/.test(d.error));
      expect(unexplainedDeadLetters, "dead letters other than a copy meeting another in progress").toEqual([]);

      const deliveries = records.flatMap((r) => r.deliveries);
      // The chaos was on in both clouds: some events reached a consumer more than once in each.
      for (const [which, record] of records.entries()) {
        expect(
          record.deliveries.filter((d) => d.copy > 1).length,
          `duplicates delivered by cloud ${which + 1}`,
        ).toBeGreaterThan(0);
      }
      // Cancellations at once after approval: how many beat the ledger (no hold ever placed) and how many came after.
      const cancelledAtOnce = [...placements.values()].filter((p) => p.cancellation?.fromStatus === "approved");
      const neverPlaced = cancelledAtOnce.filter(
        (p) => !p.holds.some((h) => byReference("FundHoldPlaced.v1", h.reference).length > 0),
      ).length;
      raceFigures = `${cancelledAtOnce.length} cancelled at once after approval: ${neverPlaced} before the ledger placed the hold, ${cancelledAtOnce.length - neverPlaced} after (voided)`;
      busFigures =
        `${events.length} events, ${deliveries.length} deliveries of which ${deliveries.filter((d) => d.copy > 1).length} ` +
        `duplicates, ${deadLetters.length} dead letters (copies meeting one in progress), ${outbox.written} outbox items published`;
      ledgerFigures = `${holds.length} holds, ${expectedHeld} yen held, ${expectedSpent} yen spent`;
      failed = false;
    } catch (error) {
      if (error instanceof Error) {
        error.message =
          `SAGA_SEED=${SEED} SAGA_PLACEMENTS=${PLACEMENTS} (replay with these; ${figures.steps} steps done, ` +
          `restart ${restart ? `at ${restart.at} after step ${restart.atStep}` : "not yet"}; data kept in ${workDir}): ${error.message}`;
      }
      throw error;
    } finally {
      await cloud.process.stop();
      if (!failed) rmSync(workDir, { recursive: true, force: true });
      const statuses = actors.reduce<Record<string, number>>((tally, actor) => {
        const status = actor.placement?.status ?? "not proposed";
        tally[status] = (tally[status] ?? 0) + 1;
        return tally;
      }, {});
      const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`;
      console.log(
        [
          `staff-exchange saga (SAGA_SEED=${SEED}, ${failed ? "FAILED" : "passed"}): ${PLACEMENTS} placements, ` +
            `${figures.steps} steps in ${figures.rounds} rounds (${figures.settles} settles), ` +
            `restart after step ${restart?.atStep ?? "-"}`,
          `  placements: ${Object.entries(statuses)
            .map(([status, n]) => `${n} ${status}`)
            .join(", ")}`,
          `  refusals: ${figures.quotaRefusals} quota, ${figures.overHoldRefusals} actual-exceeds-hold; ` +
            `fund-approver: ${figures.approverRejections} rejected, ${figures.approverApprovals} approved`,
          `  order: ${raceFigures}; ${figures.doubleSubmits} steps sent twice at once`,
          `  bus: ${busFigures}`,
          `  ledger: ${ledgerFigures}`,
          `  time: first start ${seconds(first.startMs)}, stop ${seconds(restart?.stopMs)}, second start ` +
            `${seconds(restart?.startMs)}, all ${seconds(performance.now() - startedAt)}`,
        ].join("\n"),
      );
    }
  });
});
