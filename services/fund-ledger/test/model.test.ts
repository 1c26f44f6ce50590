import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import {
  batchGetAll,
  createDocumentClient,
  HttpProblem,
  idempotencyRecordKey,
  type Refusal,
  Refused,
  type StoredResponse,
  type WriteContext,
  withoutKeys,
} from "@cdp/lambda-kit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableOf, balanceOf } from "../src/domain/balances.ts";
import { accountIds, accountInfo, BANK, PRINCIPAL } from "../src/domain/chart.ts";
import type { ApprovalRequest, Hold, HoldStatus, Journal } from "../src/domain/model.ts";
import { table } from "../src/manifest.ts";
import { keys, shardCountOf } from "../src/store/layout.ts";
import { type Entry, LedgerReads } from "../src/store/ledger-reads.ts";
import type { StoredHold, StoredJournal } from "../src/store/ledger-store.ts";
import { shardStateOf, totalOf } from "../src/store/shards.ts";
import { addProgramme, FundLedger, type Idempotency, type Outcome } from "../src/use-cases.ts";
import { closeFiscalYear, expireHolds } from "../src/year-end.ts";
import { at, made, text } from "./fixtures.ts";

/*
 * Model-based test: short random sequences of ledger operations (holds, some above the programme's
 * approval threshold and then approved by a second person or rejected; full and partial postings; voids;
 * expiry; direct expenses; reversals; requests repeated with their idempotency key, at once or after;
 * conflicting requests at once), each run against the real FundLedger on DynamoDB Local (a fresh table
 * per sequence) and, side by side, against a small in-memory model of what the fund should look like.
 *
 * After every step, cheaply (one BatchGetItem, see quickCheck): the trial balance is zero, no shard of an
 * appropriation (or any account with a rule) is below zero, the balances, released amounts, holds and
 * approval requests are the model's. At the end of each sequence (after every step with
 * LEDGER_MODEL_FULL=1), fully (see fullCheck): also the service's own statement and trial balance, the
 * balances rebuilt from the entries, and every journal accounted for (each write made its journals once, a
 * replay none, each hold resolved at most once, each idempotency key recorded once).
 *
 * LEDGER_MODEL_RUNS sequences (200 by default; keep at least 200 in CI). Replay a failure with the seed
 * (and path) fast-check prints: LEDGER_MODEL_SEED=<seed> [LEDGER_MODEL_PATH=<path>] npx vitest run test/model.test.ts
 */

const RUNS = Number(process.env.LEDGER_MODEL_RUNS ?? 200);
const SEED = process.env.LEDGER_MODEL_SEED;
const PATH = process.env.LEDGER_MODEL_PATH;
const FULL_CHECK_EVERY_STEP = process.env.LEDGER_MODEL_FULL === "1";
const TIMEOUT_MS = 600_000;

const FY = 2026;
const THRESHOLD_YEN = 3_000_000;
const CAPITAL_YEN = 1_000_000_000;
/** Sorted, as the statement lists them. */
const PROGRAMMES = ["joint-research", "staff-exchange"] as const;
const REQUESTER = "manager-1";
const ACTORS = [REQUESTER, "approver-2", "approver-3"] as const;
const FIRST_DAY = "2026-04-01";
const SETTLEMENT_DAY = "2027-04-01";
const CLOSE_DAY = "2027-06-01";
const LAST_DAY = "2027-06-30";

// ---------------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------------

type Phase = "open" | "settlement" | "closable" | "closed";
type Expected = { kind: "not-found" } | { kind: "conflict" } | { kind: "rule-broken"; rule: string };

const PHASE_RULES: Record<Exclude<Phase, "open">, string> = {
  settlement: "settlement-period",
  closable: "fiscal-year-ended",
  closed: "fiscal-year-closed",
};
const CONFLICT: Expected = { kind: "conflict" };
const NOT_FOUND: Expected = { kind: "not-found" };
const rule = (name: string): Expected => ({ kind: "rule-broken", rule: name });

interface ModelHold {
  readonly id: string;
  /** The hold's own journal; learnt from the store for a hold placed on approval. */
  journalId: string;
  readonly programme: string;
  readonly amountYen: number;
  readonly expiresOn: string | undefined;
  status: HoldStatus;
  postedYen: number;
  releasedYen: number;
}

interface ModelApproval {
  readonly id: string;
  readonly operation: "hold" | "expense";
  readonly programme: string;
  readonly amountYen: number;
  readonly expiresOn: string | undefined;
  status: ApprovalRequest["status"];
  resultId?: string;
}

/** An expense or a hold's posting: what a reversal may take back. */
interface ModelSpending {
  readonly id: string;
  readonly programme: string;
  readonly amountYen: number;
  reversed: boolean;
}

interface ModelProgramme {
  appropriatedYen: number;
  spentYen: number;
  releasedYen: number;
  returnedYen: number;
}

/** What the fund should look like: per programme, the bank and the principal, holds, approvals, journals. */
class Model {
  day: string;
  closed = false;
  incomeYen = 0;
  readonly programmes = new Map<string, ModelProgramme>();
  readonly holds: ModelHold[] = [];
  readonly approvals: ModelApproval[] = [];
  readonly spendings: ModelSpending[] = [];
  /** Journals each write (by its correlation id) should have made; any other correlation id, none. */
  readonly journals = new Map<string, number>();
  /** Holds voided by expireHolds: one journal each, under its own `expiry-…` correlation id. */
  expiryJournals = 0;
  /** Idempotency keys used, and whether the write they came with was made. */
  readonly idempotencyKeys = new Map<string, boolean>();

  constructor(day: string) {
    this.day = day;
  }

  programme(id: string): ModelProgramme {
    let p = this.programmes.get(id);
    if (!p) {
      p = { appropriatedYen: 0, spentYen: 0, releasedYen: 0, returnedYen: 0 };
      this.programmes.set(id, p);
    }
    return p;
  }

  heldYen(programme: string): number {
    return this.holds
      .filter((h) => h.programme === programme && h.status === "held")
      .reduce((sum, h) => sum + h.amountYen, 0);
  }

  availableYen(programme: string): number {
    const p = this.programme(programme);
    return p.appropriatedYen - this.heldYen(programme) - p.spentYen;
  }

  get spentYen(): number {
    return [...this.programmes.values()].reduce((sum, p) => sum + p.spentYen, 0);
  }

  get appropriatedYen(): number {
    return [...this.programmes.values()].reduce((sum, p) => sum + p.appropriatedYen, 0);
  }

  get returnedYen(): number {
    return [...this.programmes.values()].reduce((sum, p) => sum + p.returnedYen, 0);
  }

  phase(): Phase {
    if (this.closed) return "closed";
    if (this.day <= "2027-03-31") return "open";
    if (this.day <= "2027-05-31") return "settlement";
    return "closable";
  }

  /** The refusal the year's phase gives an action, if any. */
  phaseRefusal(action: "hold" | "spend" | "post" | "release"): Expected | undefined {
    const phase = this.phase();
    const allowed =
      action === "hold" || action === "spend"
        ? phase === "open"
        : action === "post"
          ? phase === "open" || phase === "settlement"
          : phase !== "closed";
    return allowed || phase === "open" ? undefined : rule(PHASE_RULES[phase]);
  }

  expectJournals(context: WriteContext, count: number): void {
    this.journals.set(context.correlationId, (this.journals.get(context.correlationId) ?? 0) + count);
  }

  placeHold(
    state: Hold,
    request: { programme: string; amountYen: number; expiresOn: string | undefined },
    context: WriteContext,
  ) {
    expect(state).toMatchObject({ status: "held", amountYen: request.amountYen, programme: request.programme });
    this.holds.push({
      id: state.id,
      journalId: state.journalId,
      programme: request.programme,
      amountYen: request.amountYen,
      expiresOn: request.expiresOn,
      status: "held",
      postedYen: 0,
      releasedYen: 0,
    });
    this.expectJournals(context, 1);
  }

  spend(journalId: string, programme: string, amountYen: number): void {
    this.programme(programme).spentYen += amountYen;
    this.spendings.push({ id: journalId, programme, amountYen, reversed: false });
  }

  postHold(hold: ModelHold, state: Hold, context: WriteContext): void {
    const postedYen = state.postedYen;
    hold.status = "posted";
    hold.postedYen = postedYen;
    hold.releasedYen = hold.amountYen - postedYen;
    this.programme(hold.programme).releasedYen += hold.releasedYen;
    const postingId = state.resolvedBy?.[1];
    if (!postingId) throw new Error(`hold ${hold.id} posted without a posting journal`);
    this.spend(postingId, hold.programme, postedYen);
    this.expectJournals(context, 2);
  }

  release(hold: ModelHold, status: "voided" | "expired"): void {
    hold.status = status;
    hold.releasedYen = hold.amountYen;
    this.programme(hold.programme).releasedYen += hold.amountYen;
  }

  /** The accounts the ledger should have registered. */
  accounts(): string[] {
    return [
      BANK,
      PRINCIPAL,
      ...(this.incomeYen > 0 ? [accountIds.income(FY, "investment")] : []),
      ...[...this.programmes.keys()].flatMap((p) => [
        accountIds.appropriation(FY, p),
        accountIds.commitments(FY, p),
        accountIds.expenses(FY, p),
      ]),
    ].sort();
  }

  /** Each account's posted and pending balance, on its normal side. */
  balances(): Record<string, { posted: number; pending: number }> {
    const balances: Record<string, { posted: number; pending: number }> = {
      [BANK]: { posted: CAPITAL_YEN + this.incomeYen - this.spentYen, pending: 0 },
      [PRINCIPAL]: {
        posted: CAPITAL_YEN - this.appropriatedYen + (this.closed ? this.returnedYen + this.incomeYen : 0),
        pending: 0,
      },
    };
    if (this.incomeYen > 0) {
      balances[accountIds.income(FY, "investment")] = { posted: this.closed ? 0 : this.incomeYen, pending: 0 };
    }
    for (const [id, p] of this.programmes) {
      const held = this.heldYen(id);
      const open = !this.closed;
      balances[accountIds.appropriation(FY, id)] = {
        posted: open ? p.appropriatedYen - p.spentYen : 0,
        pending: open ? 0 - held : 0,
      };
      balances[accountIds.commitments(FY, id)] = { posted: open ? p.spentYen : 0, pending: open ? held : 0 };
      balances[accountIds.expenses(FY, id)] = { posted: open ? p.spentYen : 0, pending: 0 };
    }
    return balances;
  }

  statement() {
    return {
      fiscalYear: FY,
      status: this.closed ? "closed" : "open",
      programmes: [...this.programmes.keys()].sort().map((id) => {
        const p = this.programme(id);
        return {
          programme: id,
          appropriatedYen: p.appropriatedYen,
          heldYen: this.heldYen(id),
          spentYen: p.spentYen,
          availableYen: this.closed ? 0 : this.availableYen(id),
          releasedYen: p.releasedYen,
          returnedYen: p.returnedYen,
        };
      }),
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------------

type Op =
  | { kind: "hold"; programme: number; amountYen: number; expiresIn: number | null; idem: boolean }
  | { kind: "spend"; programme: number; amountYen: number; idem: boolean }
  | ({ kind: "approve"; actor: number; idem: boolean } & Target)
  | ({ kind: "reject"; actor: number } & Target)
  | ({ kind: "post"; mode: "full" | "part" | "over"; fraction: number; idem: boolean } & Target)
  | ({ kind: "void"; idem: boolean } & Target)
  | ({ kind: "reverse"; target: "spending" | "hold-journal"; idem: boolean } & Target)
  | ({
      kind: "race";
      variant:
        | "post-post"
        | "post-void"
        | "void-void"
        | "reverse-reverse"
        | "approve-approve"
        | "approve-reject"
        | "hold-hold"
        | "post-same-key"
        | "hold-same-key";
      fraction: number;
      amounts: [number, number];
    } & Target)
  | { kind: "advance"; days: number }
  | { kind: "expire"; days: number }
  | { kind: "settle"; days: number }
  | { kind: "reuse-key"; pick: number };

/**
 * What an operation on an existing hold, approval request or spending acts on: `pick` chooses one (mostly
 * one still live), `unknown` an id that does not exist; with nothing to act on, the operation first makes
 * something of `fallbackYen` (a hold, an approval request, an expense) instead.
 */
interface Target {
  pick: number;
  unknown: boolean;
  fallbackYen: number;
}

interface Scenario {
  readonly startOffset: number;
  readonly programmes: number;
  readonly appropriations: readonly [number, number];
  readonly incomeYen: number;
  readonly ops: readonly Op[];
  readonly close: boolean;
}

const amountArb = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 1_200_000 }), weight: 3 },
  { arbitrary: fc.integer({ min: 1_200_001, max: THRESHOLD_YEN }), weight: 3 },
  { arbitrary: fc.constant(THRESHOLD_YEN), weight: 1 },
  { arbitrary: fc.integer({ min: THRESHOLD_YEN + 1, max: 7_000_000 }), weight: 2 },
);
const programmeArb = fc.integer({ min: 0, max: PROGRAMMES.length - 1 });
const targetArb = {
  pick: fc.nat({ max: 1000 }),
  unknown: fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
  fallbackYen: fc.integer({ min: 1, max: 2_000_000 }),
};
const idemArb = fc.boolean();
const fractionArb = fc.double({ min: 0.01, max: 0.99, noNaN: true });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("hold" as const),
      programme: programmeArb,
      amountYen: amountArb,
      expiresIn: fc.option(fc.integer({ min: -5, max: 40 }), { nil: null }),
      idem: idemArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("spend" as const),
      programme: programmeArb,
      amountYen: amountArb,
      idem: idemArb,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("approve" as const),
      ...targetArb,
      actor: fc.integer({ min: 0, max: 9 }).map((n) => (n === 0 ? 0 : 1 + (n % 2))),
      idem: idemArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("reject" as const),
      ...targetArb,
      actor: fc.integer({ min: 0, max: 9 }).map((n) => (n === 0 ? 0 : 1 + (n % 2))),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("post" as const),
      ...targetArb,
      mode: fc.constantFrom("full" as const, "full" as const, "part" as const, "part" as const, "over" as const),
      fraction: fractionArb,
      idem: idemArb,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("void" as const), ...targetArb, idem: idemArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("reverse" as const),
      ...targetArb,
      target: fc.constantFrom("spending" as const, "spending" as const, "spending" as const, "hold-journal" as const),
      idem: idemArb,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("race" as const),
      variant: fc.constantFrom(
        "post-post" as const,
        "post-void" as const,
        "void-void" as const,
        "reverse-reverse" as const,
        "approve-approve" as const,
        "approve-reject" as const,
        "hold-hold" as const,
        "post-same-key" as const,
        "hold-same-key" as const,
      ),
      ...targetArb,
      fraction: fractionArb,
      amounts: fc.tuple(fc.integer({ min: 1, max: THRESHOLD_YEN }), fc.integer({ min: 1, max: THRESHOLD_YEN })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("advance" as const), days: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("expire" as const), days: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("settle" as const), days: fc.integer({ min: 0, max: 75 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reuse-key" as const), pick: fc.nat({ max: 1000 }) }) },
);

/** A sequence; with `close`, one that closes the year at its end (with income to close into the principal). */
const scenarioArb = (close: boolean): fc.Arbitrary<Scenario> =>
  fc.record({
    startOffset: fc.integer({ min: 0, max: 330 }),
    programmes: fc.constantFrom(1, 1, 1, 2),
    appropriations: fc.tuple(
      fc.integer({ min: 1_000_000, max: 12_000_000 }),
      fc.integer({ min: 1_000_000, max: 12_000_000 }),
    ),
    incomeYen: close ? fc.integer({ min: 1, max: 5_000_000 }) : fc.constant(0),
    ops: fc.array(opArb, { minLength: 3, maxLength: 6 }),
    close: fc.constant(close),
  });

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const minDay = (a: string, b: string) => (a < b ? a : b);
const maxDay = (a: string, b: string) => (a > b ? a : b);

type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal };

/** The value, or the refusal; anything else (a lost race given up, an unexpected error) is thrown. */
async function attempt<T>(promise: Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: error.refusal };
    throw error;
  }
}

function expectRefused(result: Attempt<unknown>, expected: Expected, what: string): void {
  if (result.ok) throw new Error(`${what}: expected a refusal ${JSON.stringify(expected)}, but it was made`);
  expect(result.refusal, what).toMatchObject(expected);
}

function matches(refusal: Refusal, expected: Expected): boolean {
  return (
    refusal.kind === expected.kind &&
    (expected.kind !== "rule-broken" || ("rule" in refusal && refusal.rule === expected.rule))
  );
}

const respond = <State>(state: State): StoredResponse => ({ status: 201, body: state });

/** What the sequences did, counted: printed after the run, to see what the generators reach. */
const outcomes = new Map<string, number>();
const tally = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
const outcomeOf = (result: Attempt<unknown>) =>
  result.ok ? "made" : `refused ${result.refusal.kind === "rule-broken" ? result.refusal.rule : result.refusal.kind}`;

interface Env {
  readonly client: DynamoDBDocumentClient;
  readonly ledger: FundLedger;
  readonly reads: LedgerReads;
  readonly tableName: string;
}

let raw: DynamoDBClient;
let client: DynamoDBDocumentClient;

/**
 * A fresh table of the manifest's keys and indexes. Without the stream (which only the outbox relay reads,
 * not under test here) and TTL: DynamoDB Local writes to a table with a stream almost twice as slowly,
 * and this test is mostly writes.
 */
async function freshTable(): Promise<Env> {
  const tableName = `fund-ledger-model-${randomUUID()}`;
  const attributes = [table.partitionKey, table.sortKey, ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  await raw.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [...new Set(attributes)].map((name) => ({ AttributeName: name, AttributeType: "S" })),
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: "HASH" },
        { AttributeName: table.sortKey, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: table.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" },
          { AttributeName: index.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      })),
    }),
  );
  return { client, ledger: new FundLedger(client, tableName), reads: new LedgerReads(client, tableName), tableName };
}

// ---------------------------------------------------------------------------------------------------
// One sequence
// ---------------------------------------------------------------------------------------------------

class Sequence {
  readonly trace: string[] = [];
  private references = 0;

  constructor(
    readonly env: Env,
    readonly model: Model,
  ) {}

  log(line: string): void {
    this.trace.push(`[${this.model.day}] ${line}`);
  }

  reference(prefix: string): string {
    this.references++;
    return `${prefix}:${this.references}`;
  }

  /**
   * One write, as the model expects it (made, or refused as predicted); with an idempotency key, sent
   * twice: the second must get the first response back and change nothing (or, refused, be refused again).
   */
  async write<State>(
    label: string,
    params: unknown,
    options: { idem: boolean; actor: string },
    call: (context: WriteContext, idempotency: Idempotency<State> | undefined) => Promise<Outcome<State>>,
    expected: Expected | undefined,
  ): Promise<{ state: State; context: WriteContext } | undefined> {
    const context = at(this.model.day, options.actor);
    const idempotency: Idempotency<State> | undefined = options.idem
      ? { key: `key-${randomUUID()}`, fingerprint: JSON.stringify([label, params]), respond }
      : undefined;
    const first = await attempt(call(context, idempotency));
    this.log(
      `${label} ${JSON.stringify(params)}${idempotency ? " (idempotent)" : ""} by ${options.actor}: ${
        first.ok ? "made" : `refused ${JSON.stringify(first.refusal)}`
      }`,
    );
    tally(`${label} ${outcomeOf(first)}${idempotency ? ", repeated" : ""}`);
    if (expected) expectRefused(first, expected, label);
    else if (!first.ok) throw new Error(`${label}: expected it to be made, refused ${JSON.stringify(first.refusal)}`);
    const state = first.ok ? made(first.value) : undefined;
    if (idempotency) {
      const again = await attempt(call(at(this.model.day, options.actor), idempotency));
      if (state !== undefined) {
        if (!again.ok) throw new Error(`${label}: the repeat was refused ${JSON.stringify(again.refusal)}`);
        expect(again.value, `${label}: the repeat replays`).toEqual({
          replayed: JSON.parse(JSON.stringify(respond(state))),
        });
        this.model.idempotencyKeys.set(idempotency.key, true);
      } else {
        if (expected) expectRefused(again, expected, `${label} (repeated)`);
        this.model.idempotencyKeys.set(idempotency.key, false);
      }
    }
    return state === undefined ? undefined : { state, context };
  }

  async step(op: Op): Promise<void> {
    const { model } = this;
    switch (op.kind) {
      case "hold":
        return this.hold(op);
      case "spend":
        return this.spend(op);
      case "approve":
        return this.approve(op);
      case "reject":
        return this.reject(op);
      case "post":
        return this.post(op);
      case "void":
        return this.void(op);
      case "reverse":
        return this.reverse(op);
      case "race":
        return this.race(op);
      case "advance":
        model.day = minDay(addDays(model.day, op.days), LAST_DAY);
        this.log(`advance ${op.days} day(s)`);
        return;
      case "settle":
        model.day = maxDay(model.day, minDay(addDays(SETTLEMENT_DAY, op.days), LAST_DAY));
        this.log("into the settlement period");
        return;
      case "expire":
        return this.expire(op.days);
      case "reuse-key":
        return this.reuseKey(op.pick);
    }
  }

  programmeAt(pick: number): string {
    const ids = [...this.model.programmes.keys()];
    return ids[pick % ids.length] ?? PROGRAMMES[0];
  }

  holdExpectation(programme: string, amountYen: number): Expected | undefined {
    const notNow = this.model.phaseRefusal("hold");
    if (notNow || amountYen > THRESHOLD_YEN) return notNow;
    return amountYen > this.model.availableYen(programme) ? rule("insufficient-available") : undefined;
  }

  async hold(op: Extract<Op, { kind: "hold" }>): Promise<void> {
    const programme = this.programmeAt(op.programme);
    const expiresOn = op.expiresIn === null ? undefined : addDays(this.model.day, op.expiresIn);
    const request = {
      reference: this.reference("placement"),
      programme,
      fiscalYear: FY,
      amountYen: op.amountYen,
      description: text("hold"),
      ...(expiresOn && { expiresOn }),
    };
    const result = await this.write<Hold | ApprovalRequest>(
      "hold",
      request,
      { idem: op.idem, actor: REQUESTER },
      (context, idempotency) => this.env.ledger.requestHold(request, context, idempotency),
      this.holdExpectation(programme, op.amountYen),
    );
    if (!result) return;
    const { state, context } = result;
    if (op.amountYen > THRESHOLD_YEN) {
      expect(state).toMatchObject({ status: "awaiting-approval", operation: "hold", amountYen: op.amountYen });
      this.model.approvals.push({
        id: state.id,
        operation: "hold",
        programme,
        amountYen: op.amountYen,
        expiresOn,
        status: "awaiting-approval",
      });
    } else {
      this.model.placeHold(state as Hold, { programme, amountYen: op.amountYen, expiresOn }, context);
    }
  }

  spendExpectation(programme: string, amountYen: number): Expected | undefined {
    const notNow = this.model.phaseRefusal("spend");
    if (notNow || amountYen > THRESHOLD_YEN) return notNow;
    return amountYen > this.model.availableYen(programme) ? rule("insufficient-available") : undefined;
  }

  async spend(op: Extract<Op, { kind: "spend" }>): Promise<void> {
    const programme = this.programmeAt(op.programme);
    const request = {
      reference: this.reference("invoice"),
      programme,
      fiscalYear: FY,
      amountYen: op.amountYen,
      description: text("expense"),
    };
    const result = await this.write<Journal | ApprovalRequest>(
      "spend",
      request,
      { idem: op.idem, actor: REQUESTER },
      (context, idempotency) => this.env.ledger.spend(request, context, idempotency),
      this.spendExpectation(programme, op.amountYen),
    );
    if (!result) return;
    const { state, context } = result;
    if (op.amountYen > THRESHOLD_YEN) {
      expect(state).toMatchObject({ status: "awaiting-approval", operation: "expense", amountYen: op.amountYen });
      this.model.approvals.push({
        id: state.id,
        operation: "expense",
        programme,
        amountYen: op.amountYen,
        expiresOn: undefined,
        status: "awaiting-approval",
      });
    } else {
      expect(state).toMatchObject({ kind: "expense", fiscalYear: FY });
      this.model.spend(state.id, programme, op.amountYen);
      this.model.expectJournals(context, 1);
    }
  }

  approvalExpectation(approval: ModelApproval | undefined, actor: string): Expected | undefined {
    if (!approval) return NOT_FOUND;
    if (approval.status !== "awaiting-approval") return CONFLICT;
    if (actor === REQUESTER) return rule("two-person-rule");
    const notNow = this.model.phaseRefusal(approval.operation === "hold" ? "hold" : "spend");
    if (notNow) return notNow;
    return approval.amountYen > this.model.availableYen(approval.programme)
      ? rule("insufficient-available")
      : undefined;
  }

  rejectionExpectation(approval: ModelApproval | undefined, actor: string): Expected | undefined {
    if (!approval) return NOT_FOUND;
    if (approval.status !== "awaiting-approval") return CONFLICT;
    return actor === REQUESTER ? rule("two-person-rule") : undefined;
  }

  /** The model's side of an approval made. */
  approved(approval: ModelApproval, state: ApprovalRequest, context: WriteContext): void {
    expect(state).toMatchObject({ status: "approved", decidedBy: context.actor });
    const resultId = state.resultId;
    if (!resultId) throw new Error(`approval ${approval.id} approved without a result`);
    approval.status = "approved";
    approval.resultId = resultId;
    if (approval.operation === "expense") {
      this.model.spend(resultId, approval.programme, approval.amountYen);
    } else {
      this.model.holds.push({
        id: resultId,
        journalId: "", // filled in by the check, which reads the hold
        programme: approval.programme,
        amountYen: approval.amountYen,
        expiresOn: approval.expiresOn,
        status: "held",
        postedYen: 0,
        releasedYen: 0,
      });
    }
    this.model.expectJournals(context, 1);
  }

  /**
   * One of the live ones (held, awaiting, not reversed) mostly, of all now and then (or when none is live);
   * with `onlyLive`, a live one or none.
   */
  choose<T>(all: readonly T[], live: (item: T) => boolean, pick: number, onlyLive = false): T | undefined {
    const alive = all.filter(live);
    const from = onlyLive || (alive.length > 0 && pick % 8 !== 0) ? alive : all;
    return from[Math.floor(pick / 8) % Math.max(from.length, 1)];
  }

  /** Nothing to act on: something to act on next (a hold, an approval request, an expense) instead. */
  async instead(what: "hold" | "approval" | "spending", target: Target): Promise<void> {
    this.log(`nothing to act on: ${what} instead`);
    const { pick, fallbackYen: amountYen } = target;
    if (what === "spending") return this.spend({ kind: "spend", programme: pick, amountYen, idem: false });
    if (what === "approval" && pick % 3 === 0) {
      return this.spend({ kind: "spend", programme: pick, amountYen: THRESHOLD_YEN + amountYen, idem: false });
    }
    return this.hold({
      kind: "hold",
      programme: pick,
      amountYen: what === "approval" ? THRESHOLD_YEN + amountYen : amountYen,
      expiresIn: (pick % 24) - 4,
      idem: false,
    });
  }

  approvalFor(target: Target, onlyLive = false): ModelApproval | undefined {
    if (target.unknown) return undefined;
    return this.choose(this.model.approvals, (a) => a.status === "awaiting-approval", target.pick, onlyLive);
  }

  holdFor(target: Target, onlyLive = false): ModelHold | undefined {
    if (target.unknown) return undefined;
    return this.choose(this.model.holds, (h) => h.status === "held", target.pick, onlyLive);
  }

  spendingFor(target: Target, onlyLive = false): ModelSpending | undefined {
    if (target.unknown) return undefined;
    return this.choose(this.model.spendings, (s) => !s.reversed, target.pick, onlyLive);
  }

  async approve(op: Extract<Op, { kind: "approve" }>): Promise<void> {
    const approval = this.approvalFor(op);
    if (!approval && !op.unknown) return this.instead("approval", op);
    const id = approval?.id ?? randomUUID();
    const actor = ACTORS[op.actor] ?? REQUESTER;
    const result = await this.write<ApprovalRequest>(
      "approve",
      { id },
      { idem: op.idem, actor },
      (context, idempotency) => this.env.ledger.approve(id, context, idempotency),
      this.approvalExpectation(approval, actor),
    );
    if (result && approval) this.approved(approval, result.state, result.context);
  }

  async reject(op: Extract<Op, { kind: "reject" }>): Promise<void> {
    const approval = this.approvalFor(op);
    if (!approval && !op.unknown) return this.instead("approval", op);
    const id = approval?.id ?? randomUUID();
    const actor = ACTORS[op.actor] ?? REQUESTER;
    const result = await this.write<ApprovalRequest>(
      "reject",
      { id },
      { idem: false, actor },
      (context) => this.env.ledger.reject(id, "not this year", context),
      this.rejectionExpectation(approval, actor),
    );
    if (result && approval) {
      expect(result.state).toMatchObject({ status: "rejected" });
      approval.status = "rejected";
    }
  }

  postAmount(hold: ModelHold | undefined, mode: "full" | "part" | "over", fraction: number): number | undefined {
    if (!hold || mode === "full") return undefined;
    if (mode === "over") return hold.amountYen + 1;
    return Math.max(1, Math.min(hold.amountYen - 1, Math.floor(hold.amountYen * fraction)));
  }

  postExpectation(hold: ModelHold | undefined, amountYen: number | undefined): Expected | undefined {
    if (!hold) return NOT_FOUND;
    if (hold.status !== "held") return CONFLICT;
    if (amountYen !== undefined && amountYen > hold.amountYen) return rule("post-exceeds-hold");
    return this.model.phaseRefusal("post");
  }

  voidExpectation(hold: ModelHold | undefined): Expected | undefined {
    if (!hold) return NOT_FOUND;
    if (hold.status !== "held") return CONFLICT;
    return this.model.phaseRefusal("release");
  }

  async post(op: Extract<Op, { kind: "post" }>): Promise<void> {
    const hold = this.holdFor(op);
    if (!hold && !op.unknown) return this.instead("hold", op);
    const holdId = hold?.id ?? randomUUID();
    const amountYen = this.postAmount(hold, op.mode, op.fraction);
    const command = { holdId, ...(amountYen !== undefined && { amountYen }) };
    const result = await this.write<Hold>(
      "post",
      command,
      { idem: op.idem, actor: REQUESTER },
      (context, idempotency) => this.env.ledger.postHold(command, context, idempotency),
      this.postExpectation(hold, amountYen),
    );
    if (!result || !hold) return;
    expect(result.state).toMatchObject({ status: "posted", postedYen: amountYen ?? hold.amountYen });
    this.model.postHold(hold, result.state, result.context);
  }

  async void(op: Extract<Op, { kind: "void" }>): Promise<void> {
    const hold = this.holdFor(op);
    if (!hold && !op.unknown) return this.instead("hold", op);
    const holdId = hold?.id ?? randomUUID();
    const command = { holdId, reason: "voided" as const };
    const result = await this.write<Hold>(
      "void",
      command,
      { idem: op.idem, actor: REQUESTER },
      (context, idempotency) => this.env.ledger.voidHold(command, context, idempotency),
      this.voidExpectation(hold),
    );
    if (!result || !hold) return;
    expect(result.state).toMatchObject({ status: "voided", releasedYen: hold.amountYen });
    this.model.release(hold, "voided");
    this.model.expectJournals(result.context, 1);
  }

  reverseExpectation(spending: ModelSpending | undefined): Expected | undefined {
    if (!spending) return NOT_FOUND;
    if (spending.reversed) return rule("already-reversed");
    return this.model.phaseRefusal("post");
  }

  async reverse(op: Extract<Op, { kind: "reverse" }>): Promise<void> {
    if (op.target === "hold-journal") {
      // A hold's own (pending) journal is never reversed: holds are voided.
      const hold = this.choose(this.model.holds, () => true, op.pick);
      if (!hold?.journalId) return this.instead("hold", op);
      await this.write<Journal>(
        "reverse",
        { journalId: hold.journalId },
        { idem: op.idem, actor: REQUESTER },
        (context, idempotency) => this.env.ledger.reverse({ journalId: hold.journalId }, context, idempotency),
        rule("not-reversible"),
      );
      return;
    }
    const spending = this.spendingFor(op);
    if (!spending && !op.unknown) return this.instead("spending", op);
    const journalId = spending?.id ?? randomUUID();
    const result = await this.write<Journal>(
      "reverse",
      { journalId },
      { idem: op.idem, actor: REQUESTER },
      (context, idempotency) => this.env.ledger.reverse({ journalId }, context, idempotency),
      this.reverseExpectation(spending),
    );
    if (!result || !spending) return;
    this.reversed(spending, result.state, result.context);
  }

  reversed(spending: ModelSpending, state: Journal, context: WriteContext): void {
    expect(state).toMatchObject({ kind: "reversal", reverses: spending.id });
    spending.reversed = true;
    this.model.programme(spending.programme).spentYen -= spending.amountYen;
    this.model.expectJournals(context, 1);
  }

  async expire(days: number): Promise<void> {
    const { model } = this;
    model.day = minDay(addDays(model.day, days), LAST_DAY);
    const due = model.closed
      ? []
      : model.holds.filter((h) => h.status === "held" && h.expiresOn !== undefined && h.expiresOn < model.day);
    const expired = await expireHolds(this.env.ledger, this.env.reads, at(model.day, "schedule"));
    this.log(`expireHolds: ${expired} expired (model: ${due.length})`);
    tally(`expire: ${expired > 0 ? "some" : "none"} expired`);
    expect(expired, "holds expired").toBe(due.length);
    for (const hold of due) model.release(hold, "expired");
    model.expiryJournals += due.length;
  }

  /** The same key with another request: 422, and nothing happens. */
  async reuseKey(pick: number): Promise<void> {
    const used = [...this.model.idempotencyKeys].filter(([, wasMade]) => wasMade).map(([key]) => key);
    const key = used[pick % Math.max(used.length, 1)];
    if (!key) return;
    const request = {
      reference: this.reference("placement"),
      programme: PROGRAMMES[0],
      fiscalYear: FY,
      amountYen: 1,
      description: text("another request"),
    };
    this.log(`hold with a used idempotency key ${key}`);
    const error = await this.env.ledger
      .requestHold(request, at(this.model.day), { key, fingerprint: "another request", respond })
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(error).toBeInstanceOf(HttpProblem);
    expect((error as HttpProblem).status).toBe(422);
    tally("a used key for another request: 422");
  }

  /**
   * Two writes at once. When the model says both would be made alone, exactly one is (no request is lost);
   * the other is refused as it would be after the first (or, decided before it, as it would be alone).
   */
  async race(op: Extract<Op, { kind: "race" }>): Promise<void> {
    const { model } = this;
    const { ledger } = this.env;
    type Racer = {
      label: string;
      run: (context: WriteContext) => Promise<unknown>;
      actor: string;
      alone: Expected | undefined;
      after: Expected;
      apply: (state: unknown, context: WriteContext) => void;
    };
    let racers: [Racer, Racer] | undefined;
    // Races are on live ones only (a hold still held, an approval awaiting, a spending not reversed).
    const target = { ...op, unknown: false };
    const hold = this.holdFor(target, true);
    const spending = this.spendingFor(target, true);
    const approval = this.approvalFor(target, true);
    if (op.variant === "hold-same-key") return this.sameKeyHolds(op.amounts[0]);
    if (op.variant === "post-same-key") return hold ? this.sameKeyPosts(hold, op.fraction) : this.instead("hold", op);
    const postRacer = (h: ModelHold, amountYen: number | undefined): Racer => ({
      label: `post ${amountYen ?? "all"}`,
      run: (context) => ledger.postHold({ holdId: h.id, ...(amountYen !== undefined && { amountYen }) }, context),
      actor: REQUESTER,
      alone: this.postExpectation(h, amountYen),
      after: CONFLICT,
      apply: (state, context) => model.postHold(h, state as Hold, context),
    });
    const voidRacer = (h: ModelHold): Racer => ({
      label: "void",
      run: (context) => ledger.voidHold({ holdId: h.id, reason: "voided" }, context),
      actor: REQUESTER,
      alone: this.voidExpectation(h),
      after: CONFLICT,
      apply: (_state, context) => {
        model.release(h, "voided");
        model.expectJournals(context, 1);
      },
    });
    const approveRacer = (a: ModelApproval, actor: string): Racer => ({
      label: `approve by ${actor}`,
      run: (context) => ledger.approve(a.id, context),
      actor,
      alone: this.approvalExpectation(a, actor),
      after: CONFLICT,
      apply: (state, context) => this.approved(a, state as ApprovalRequest, context),
    });
    switch (op.variant) {
      case "post-post":
        if (hold) racers = [postRacer(hold, undefined), postRacer(hold, this.postAmount(hold, "part", op.fraction))];
        break;
      case "post-void":
        if (hold) racers = [postRacer(hold, this.postAmount(hold, "part", op.fraction)), voidRacer(hold)];
        break;
      case "void-void":
        if (hold) racers = [voidRacer(hold), voidRacer(hold)];
        break;
      case "reverse-reverse":
        if (spending) {
          const reverser = (): Racer => ({
            label: "reverse",
            run: (context) => ledger.reverse({ journalId: spending.id }, context),
            actor: REQUESTER,
            alone: this.reverseExpectation(spending),
            after: rule("already-reversed"),
            apply: (state, context) => this.reversed(spending, state as Journal, context),
          });
          racers = [reverser(), reverser()];
        }
        break;
      case "approve-approve":
        if (approval) racers = [approveRacer(approval, "approver-2"), approveRacer(approval, "approver-3")];
        break;
      case "approve-reject":
        if (approval)
          racers = [
            approveRacer(approval, "approver-2"),
            {
              label: "reject",
              run: (context) => ledger.reject(approval.id, "no", context),
              actor: "approver-3",
              alone: this.rejectionExpectation(approval, "approver-3"),
              after: CONFLICT,
              apply: () => {
                approval.status = "rejected";
              },
            },
          ];
        break;
      case "hold-hold":
        break;
    }
    if (op.variant === "hold-hold") return this.holdRace(op.amounts);
    if (!racers) {
      const needed = op.variant.startsWith("approve")
        ? "approval"
        : op.variant.startsWith("reverse")
          ? "spending"
          : "hold";
      return this.instead(needed, op);
    }

    const contexts = racers.map((r) => at(model.day, r.actor));
    const results = await Promise.all(racers.map((r, n) => attempt(r.run(contexts[n] ?? at(model.day)))));
    this.log(
      `race ${op.variant}: ${results.map((r, n) => `${racers[n]?.label} ${r.ok ? "made" : JSON.stringify(r.refusal)}`).join(" | ")}`,
    );
    const madeCount = results.filter((r) => r.ok).length;
    tally(`race ${op.variant}: ${madeCount} made`);
    const expectedMade = racers.filter((r) => r.alone === undefined).length;
    expect(madeCount, `race ${op.variant}: writes made`).toBe(Math.min(expectedMade, 1));
    for (const [n, result] of results.entries()) {
      const racer = racers[n];
      const context = contexts[n];
      if (!racer || !context) continue;
      if (result.ok) {
        if (racer.alone)
          throw new Error(`race ${op.variant}: ${racer.label} was made, expected ${JSON.stringify(racer.alone)}`);
        racer.apply(made(result.value as Outcome<unknown>), context);
      } else {
        const someoneElseMade = madeCount > 0;
        const allowed = [racer.alone, ...(someoneElseMade ? [racer.after] : [])].filter((e) => e !== undefined);
        expect(
          allowed.some((e) => matches(result.refusal, e)),
          `race ${op.variant}: ${racer.label} refused ${JSON.stringify(result.refusal)}, expected one of ${JSON.stringify(allowed)}`,
        ).toBe(true);
      }
    }
  }

  /**
   * The same request twice at once, with one idempotency key (a client retrying before the first answer):
   * one makes the change, the other gets its response back (both are refused when the model says so).
   */
  async sameKey<State>(
    label: string,
    call: (context: WriteContext, idempotency: Idempotency<State>) => Promise<Outcome<State>>,
    expected: Expected | undefined,
    apply: (state: State, context: WriteContext) => void,
  ): Promise<void> {
    const idempotency: Idempotency<State> = { key: `key-${randomUUID()}`, fingerprint: label, respond };
    const contexts = [at(this.model.day), at(this.model.day)];
    const results = await Promise.all(contexts.map((context) => attempt(call(context, idempotency))));
    this.log(
      `race ${label}, one idempotency key: ${results
        .map((r) => (r.ok ? (r.value.replayed ? "replayed" : "made") : JSON.stringify(r.refusal)))
        .join(" | ")}`,
    );
    tally(`race ${label.split(" ")[0]} twice with one key: ${expected ? "refused" : "made"}`);
    if (expected) {
      for (const result of results) expectRefused(result, expected, `${label} (same key, at once)`);
      this.model.idempotencyKeys.set(idempotency.key, false);
      return;
    }
    const madeAt = results.findIndex((r) => r.ok && !r.value.replayed);
    const first = results[madeAt];
    const context = contexts[madeAt];
    if (!first?.ok || first.value.replayed || !context) {
      throw new Error(`${label} twice at once with one key: none made (${JSON.stringify(results)})`);
    }
    const other = results[1 - madeAt];
    expect(other, `${label} twice at once with one key: the other replays`).toEqual({
      ok: true,
      value: { replayed: JSON.parse(JSON.stringify(respond(first.value.state))) },
    });
    apply(first.value.state, context);
    this.model.idempotencyKeys.set(idempotency.key, true);
  }

  sameKeyHolds(amountYen: number): Promise<void> {
    const programme = PROGRAMMES[0];
    const request = {
      reference: this.reference("placement"),
      programme,
      fiscalYear: FY,
      amountYen,
      description: text("retried"),
    };
    return this.sameKey<Hold | ApprovalRequest>(
      `hold ${JSON.stringify(request)}`,
      (context, idempotency) => this.env.ledger.requestHold(request, context, idempotency),
      this.holdExpectation(programme, amountYen),
      (state, context) => this.model.placeHold(state as Hold, { programme, amountYen, expiresOn: undefined }, context),
    );
  }

  sameKeyPosts(hold: ModelHold, fraction: number): Promise<void> {
    const amountYen = this.postAmount(hold, "part", fraction);
    const command = { holdId: hold.id, ...(amountYen !== undefined && { amountYen }) };
    return this.sameKey<Hold>(
      `post ${JSON.stringify(command)}`,
      (context, idempotency) => this.env.ledger.postHold(command, context, idempotency),
      this.postExpectation(hold, amountYen),
      (state, context) => this.model.postHold(hold, state, context),
    );
  }

  /** Two holds on one programme at once: the ones placed fit, and one refused did not fit beside them. */
  async holdRace(amounts: readonly [number, number]): Promise<void> {
    const { model } = this;
    const programme = PROGRAMMES[0];
    const available = model.availableYen(programme);
    const requests = amounts.map((amountYen) => ({
      reference: this.reference("placement"),
      programme,
      fiscalYear: FY,
      amountYen,
      description: text("racing hold"),
    }));
    const contexts = requests.map(() => at(model.day));
    const results = await Promise.all(
      requests.map((request, n) => attempt(this.env.ledger.requestHold(request, contexts[n] ?? at(model.day)))),
    );
    this.log(
      `race hold-hold ${amounts.join(" + ")} (available ${available}): ${results.map((r) => (r.ok ? "made" : JSON.stringify(r.refusal))).join(" | ")}`,
    );
    const notNow = model.phaseRefusal("hold");
    const placed = results.flatMap((r, n) => (r.ok ? [amounts[n] ?? 0] : []));
    const placedYen = placed.reduce((a, b) => a + b, 0);
    tally(`race hold-hold: ${placed.length} placed`);
    expect(placedYen, "racing holds placed within what was available").toBeLessThanOrEqual(available);
    for (const [n, result] of results.entries()) {
      const amountYen = amounts[n] ?? 0;
      const request = requests[n];
      const context = contexts[n];
      if (!request || !context) continue;
      if (result.ok) {
        if (notNow) throw new Error(`a racing hold was placed in phase ${model.phase()}`);
        model.placeHold(made(result.value) as Hold, { ...request, expiresOn: undefined }, context);
      } else if (notNow) {
        expect(result.refusal).toMatchObject(notNow);
      } else {
        expect(result.refusal).toMatchObject(rule("insufficient-available"));
        // Refused only if it did not fit beside what was placed: no request is lost.
        expect(amountYen, "a refused racing hold did not fit").toBeGreaterThan(available - placedYen);
      }
    }
  }

  /** The year's end: refused before June, then closed, then closed to everything. */
  async close(): Promise<void> {
    const { model } = this;
    const { ledger, reads } = this.env;
    if (model.day < CLOSE_DAY) {
      const early = await attempt(closeFiscalYear(ledger, reads, FY, at(model.day)));
      const phase = model.phase();
      expectRefused(early, rule(phase === "open" ? "close-after-settlement" : PHASE_RULES.settlement), "early close");
      model.day = CLOSE_DAY;
    }
    const context = at(model.day, "schedule");
    const held = model.holds.filter((h) => h.status === "held");
    const report = await closeFiscalYear(ledger, reads, FY, context);
    this.log(`close: ${JSON.stringify(report)}`);
    tally(`close: ${held.length > 0 ? "holds voided" : "no holds to void"}`);
    for (const hold of held) model.release(hold, "voided");
    let returnedYen = 0;
    for (const p of model.programmes.values()) {
      p.returnedYen = p.appropriatedYen - p.spentYen;
      returnedYen += p.returnedYen;
    }
    model.closed = true;
    const closingJournals = model.programmes.size + (model.incomeYen > 0 ? 1 : 0);
    expect(report).toMatchObject({ fiscalYear: FY, voidedHolds: held.length, returnedToPrincipalYen: returnedYen });
    expect(report.journalIds).toHaveLength(closingJournals);
    model.expectJournals(context, held.length + closingJournals);
  }

  /** After the close, the year takes nothing more. */
  async afterClose(): Promise<void> {
    const { model } = this;
    const { ledger, reads } = this.env;
    expectRefused(
      await attempt(closeFiscalYear(ledger, reads, FY, at(model.day))),
      rule("fiscal-year-closed"),
      "second close",
    );
    await this.hold({ kind: "hold", programme: 0, amountYen: 1_000, expiresIn: null, idem: false });
    await this.spend({ kind: "spend", programme: 1, amountYen: 1_000, idem: false });
    const spending = model.spendings.find((s) => !s.reversed);
    if (spending) {
      const journalId = spending.id;
      await this.write<Journal>(
        "reverse",
        { journalId },
        { idem: false, actor: REQUESTER },
        (context) => this.env.ledger.reverse({ journalId }, context),
        rule("fiscal-year-closed"),
      );
    }
    expect(await expireHolds(ledger, reads, at(addDays(model.day, 1), "schedule"))).toBe(0);
  }
}

// ---------------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------------

/** Posted and pending (-0, which a sum of nothing on the debit side gives, is 0). */
const postedAndPending = (b: { posted: number; pending: number }) => ({ posted: b.posted + 0, pending: b.pending + 0 });
const itemKey = (item: Record<string, unknown>) => `${String(item.pk)}|${String(item.sk)}`;

/**
 * After every step, in one BatchGetItem: every balance shard of every account, every hold and approval
 * request. The trial balance is zero, no shard of an account with a rule is below zero (nor is any
 * appropriation), each shard's `available` is its counters', the balances and released amounts are the
 * model's, and so is every hold (resolved at most once: version 1 while held, 2 once resolved).
 */
async function quickCheck(env: Env, model: Model): Promise<Record<string, { posted: number; pending: number }>> {
  const accounts = model.accounts();
  const shardKeys = accounts.flatMap((account) =>
    Array.from({ length: shardCountOf(account) }, (_, n) => keys.balance(account, n)),
  );
  const items = await batchGetAll(
    env.client,
    env.tableName,
    [...shardKeys, ...model.holds.map((h) => keys.hold(h.id)), ...model.approvals.map((a) => keys.approval(a.id))],
    { consistent: true },
  );
  const byKey = new Map(items.map((item) => [itemKey(item), item]));

  const stored: Record<string, { posted: number; pending: number }> = {};
  const released: Record<string, number> = {};
  let postedTotal = 0;
  let pendingTotal = 0;
  for (const account of accounts) {
    const info = accountInfo(account);
    if (!info) throw new Error(`not an account: ${account}`);
    const states = Array.from({ length: shardCountOf(account) }, (_, n) => {
      const item = byKey.get(itemKey(keys.balance(account, n)));
      if (info.kind === "appropriation" && info.programme) {
        released[info.programme] = (released[info.programme] ?? 0) + Number(item?.released ?? 0);
      }
      return shardStateOf(item, n);
    });
    for (const shard of states) {
      if (!info.rule) continue;
      expect(shard.available, `${account}#${shard.shard} available`).toBeGreaterThanOrEqual(0);
      expect(shard.available, `${account}#${shard.shard} available = its counters`).toBe(
        availableOf(info, shard.counters),
      );
    }
    const counters = totalOf(states);
    postedTotal += counters.debitsPosted - counters.creditsPosted;
    pendingTotal += counters.debitsPending - counters.creditsPending;
    const balance = balanceOf(account, counters);
    if (info.kind === "appropriation") expect(balance.available, `${account} available`).toBeGreaterThanOrEqual(0);
    stored[account] = postedAndPending(balance);
  }
  expect({ posted: postedTotal, pending: pendingTotal }, "trial balance").toEqual({ posted: 0, pending: 0 });
  expect(stored, "balances").toEqual(JSON.parse(JSON.stringify(model.balances())));
  expect(released, "released").toEqual(Object.fromEntries([...model.programmes].map(([id, p]) => [id, p.releasedYen])));

  for (const hold of model.holds) {
    const item = byKey.get(itemKey(keys.hold(hold.id))) as StoredHold | undefined;
    expect(item, `hold ${hold.id}`).toMatchObject({
      status: hold.status,
      amountYen: hold.amountYen,
      postedYen: hold.postedYen,
      releasedYen: hold.releasedYen,
      version: hold.status === "held" ? 1 : 2,
    });
    if (item && !hold.journalId) hold.journalId = item.journalId;
  }
  for (const approval of model.approvals) {
    expect(byKey.get(itemKey(keys.approval(approval.id))), `approval ${approval.id}`).toMatchObject({
      status: approval.status,
      ...(approval.resultId && { resultId: approval.resultId }),
    });
  }
  return stored;
}

/**
 * At the end of a sequence (and after every step with LEDGER_MODEL_FULL=1): the service's own reads
 * (accounts, trial balance, statement, held holds) agree with the model; the balances rebuilt from the
 * entries alone equal the stored ones; every journal is accounted for: each write made the journals it
 * should under its correlation id (a replay none), each hold was resolved at most once, each spending
 * reversed at most once; and each idempotency key has a record exactly when its write was made.
 */
/** Every item of the sequence's table whose partition key starts with `prefix`, consistently read. */
async function scanAll(env: Env, prefix: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await env.client.send(
      new ScanCommand({
        TableName: env.tableName,
        ConsistentRead: true,
        FilterExpression: "begins_with(pk, :prefix)",
        ExpressionAttributeValues: { ":prefix": prefix },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function fullCheck(env: Env, model: Model): Promise<void> {
  const { reads, tableName } = env;
  const stored = await quickCheck(env, model);
  const accounts = (await reads.accounts()).sort();
  expect(accounts, "accounts").toEqual(model.accounts());
  const [trial, statement, listed, entryItems] = await Promise.all([
    reads.trialBalance(),
    reads.statement(FY),
    reads.heldHolds(FY),
    // The entries as the table holds them, read past the service's own code: one scan of this sequence's table.
    scanAll(env, "ENTRY#"),
  ]);
  const entries = accounts.map((account) =>
    entryItems.filter((item) => item.account === account).map((item) => withoutKeys<Entry>(item)),
  );
  expect({ posted: trial.postedTotalYen, pending: trial.pendingTotalYen }, "trial balance").toEqual({
    posted: 0,
    pending: 0,
  });
  expect(JSON.parse(JSON.stringify(statement)), "statement").toEqual(model.statement());
  expect(listed.map((h) => h.id).sort(), "held holds listed").toEqual(
    model.holds
      .filter((h) => h.status === "held")
      .map((h) => h.id)
      .sort(),
  );

  const rebuilt = Object.fromEntries(
    accounts.map((account, n) => [
      account,
      postedAndPending(balanceOf(account, LedgerReads.countersFromEntries(entries[n] ?? []))),
    ]),
  );
  expect(rebuilt, "balances rebuilt from the entries").toEqual(stored);

  const linesOf = new Map<string, number>();
  for (const entry of entries.flat()) linesOf.set(entry.journalId, (linesOf.get(entry.journalId) ?? 0) + 1);
  const idempotencyKeys = [...model.idempotencyKeys.keys()];
  const items = await batchGetAll(
    env.client,
    tableName,
    [...[...linesOf.keys()].map((id) => keys.journal(id)), ...idempotencyKeys.map((key) => idempotencyRecordKey(key))],
    { consistent: true },
  );
  const journals = items.filter((item) => String(item.pk).startsWith("JOURNAL#")) as unknown as StoredJournal[];
  expect(journals.length, "every entry's journal exists").toBe(linesOf.size);
  for (const journal of journals) {
    expect(linesOf.get(journal.id), `entries of journal ${journal.id}`).toBe(journal.lines.length);
  }

  // Each write made the journals the model expects, under its correlation id; a replay, none.
  const byCorrelation: Record<string, number> = {};
  let expiry = 0;
  for (const journal of journals) {
    if (journal.correlationId.startsWith("expiry-")) expiry++;
    else byCorrelation[journal.correlationId] = (byCorrelation[journal.correlationId] ?? 0) + 1;
  }
  expect(byCorrelation, "journals per write").toEqual(
    Object.fromEntries([...model.journals].filter(([, count]) => count > 0)),
  );
  expect(expiry, "journals of expired holds").toBe(model.expiryJournals);

  // Each hold: its one pending journal, resolved at most once (exactly once when no longer held).
  for (const hold of model.holds) {
    const own = journals.filter((j) => j.holdId === hold.id);
    const count = (kind: Journal["kind"]) => own.filter((j) => j.kind === kind).length;
    expect(
      { hold: count("hold"), release: count("release"), posting: count("posting") },
      `journals of hold ${hold.id}`,
    ).toEqual({
      hold: 1,
      release: hold.status === "held" ? 0 : 1,
      posting: hold.status === "posted" ? 1 : 0,
    });
  }
  // Each expense or posting reversed at most once, and marked so.
  for (const spending of model.spendings) {
    const reversals = journals.filter((j) => j.reverses === spending.id);
    expect(reversals.length, `reversals of ${spending.id}`).toBe(spending.reversed ? 1 : 0);
    const original = journals.find((j) => j.id === spending.id);
    expect(original?.reversedBy, `${spending.id} marked reversed`).toBe(reversals[0]?.id);
  }

  // An idempotency record for each write made with a key; none for one refused.
  const records = new Set(items.filter((item) => String(item.pk).startsWith("IDEM#")).map((item) => String(item.pk)));
  for (const [key, wasMade] of model.idempotencyKeys) {
    expect(records.has(idempotencyRecordKey(key).pk), `idempotency record of ${key}`).toBe(wasMade);
  }
}

// ---------------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------------

async function runScenario(scenario: Scenario): Promise<void> {
  const env = await freshTable();
  const model = new Model(addDays(FIRST_DAY, scenario.startOffset));
  const sequence = new Sequence(env, model);
  const check = async () => {
    await (FULL_CHECK_EVERY_STEP ? fullCheck(env, model) : quickCheck(env, model));
  };
  try {
    const { ledger } = env;
    const programmes = PROGRAMMES.slice(0, scenario.programmes);
    for (const id of programmes) {
      await addProgramme(ledger.store, { id, name: text(id), approvalThresholdYen: THRESHOLD_YEN }, at(FIRST_DAY));
    }
    const capital = at(FIRST_DAY);
    await ledger.contributeCapital({ amountYen: CAPITAL_YEN, description: text("opening") }, capital);
    model.expectJournals(capital, 1);
    for (const [n, id] of programmes.entries()) {
      const amountYen = scenario.appropriations[n] ?? 1_000_000;
      const context = at(FIRST_DAY);
      await ledger.appropriate({ fiscalYear: FY, programme: id, amountYen, description: text("budget") }, context);
      model.programme(id).appropriatedYen = amountYen;
      model.expectJournals(context, 1);
    }
    if (scenario.incomeYen > 0) {
      const context = at(model.day);
      await ledger.recordIncome(
        { source: "investment", amountYen: scenario.incomeYen, description: text("interest") },
        context,
      );
      model.incomeYen = scenario.incomeYen;
      model.expectJournals(context, 1);
    }
    sequence.log(`set up: ${programmes.join(", ")} with ${scenario.appropriations}, income ${scenario.incomeYen}`);
    await check();
    for (const [n, op] of scenario.ops.entries()) {
      await sequence.step(op);
      // After the last step, the full check below (which begins with this one).
      if (n < scenario.ops.length - 1 || scenario.close) await check();
    }
    if (scenario.close) {
      await sequence.close();
      await fullCheck(env, model);
      await sequence.afterClose();
    }
    await fullCheck(env, model);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n\nsteps:\n  ${sequence.trace.join("\n  ")}`, { cause: error });
  } finally {
    await raw.send(new DeleteTableCommand({ TableName: env.tableName })).catch(() => undefined);
  }
}

/** Runs the sequences; the seed and path fast-check prints on a failure replay it (LEDGER_MODEL_SEED/PATH). */
async function assertSequences(arbitrary: fc.Arbitrary<Scenario>, numRuns: number, endOnFailure = false) {
  let runs = 0;
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(arbitrary, async (scenario) => {
      runs++;
      await runScenario(scenario);
    }),
    {
      numRuns,
      endOnFailure,
      ...(SEED !== undefined && { seed: Number(SEED) }),
      ...(PATH !== undefined && { path: PATH }),
      // Stop (and report what was found, with its seed) before the test's own timeout would.
      interruptAfterTimeLimit: TIMEOUT_MS - 30_000,
      markInterruptAsFailure: true,
    },
  );
  const summary = [...outcomes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([what, n]) => `  ${what}: ${n}`);
  console.info(`${runs} sequences in ${((Date.now() - started) / 1000).toFixed(1)} s\n${summary.join("\n")}`);
  outcomes.clear();
}

describe("the fund ledger against a model of it", () => {
  beforeAll(() => {
    raw = new DynamoDBClient({});
    client = createDocumentClient();
  });
  afterAll(() => {
    client.destroy();
    raw.destroy();
  });

  it(
    `keeps its invariants and agrees with the model over ${RUNS} random sequences`,
    () => assertSequences(scenarioArb(false), RUNS),
    TIMEOUT_MS,
  );

  // Closing is checked too: a shard is closed on condition that its counters are as read, and a counter no
  // write ever added to does not exist on the item (compared as zero).
  it(
    "closes the year at the end of random sequences, and the closed year takes nothing more",
    () => assertSequences(scenarioArb(true), Math.max(10, Math.ceil(RUNS / 10)), true),
    TIMEOUT_MS,
  );

  it("closes a year with one appropriation and nothing else", async () => {
    const env = await freshTable();
    try {
      await addProgramme(env.ledger.store, { id: "scholarships", name: text("scholarships") }, at(FIRST_DAY));
      await env.ledger.contributeCapital({ amountYen: CAPITAL_YEN, description: text("opening") }, at(FIRST_DAY));
      await env.ledger.appropriate(
        { fiscalYear: FY, programme: "scholarships", amountYen: 1_000_000, description: text("budget") },
        at(FIRST_DAY),
      );
      const report = await closeFiscalYear(env.ledger, env.reads, FY, at(CLOSE_DAY, "schedule"));
      expect(report).toMatchObject({ fiscalYear: FY, voidedHolds: 0, returnedToPrincipalYen: 1_000_000 });
    } finally {
      await raw.send(new DeleteTableCommand({ TableName: env.tableName })).catch(() => undefined);
    }
  }, 60_000);
});
