import {
  FiscalYearClosed,
  FundHoldPlaced,
  FundHoldPosted,
  FundHoldRejected,
  FundHoldVoided,
  FundJournalPosted,
  type HoldRejectionReason,
} from "@cdp/contracts";
import {
  type AuditEntry,
  type Decided,
  type Decision,
  decided,
  event,
  type PendingEvent,
  type Refusal,
  refuse,
  refused,
} from "@cdp/lambda-kit/decision";
import type * as z from "zod/mini";
import {
  addCounters,
  availableDelta,
  availableOf,
  type Counters,
  type Line,
  movementsOf,
  type Phase,
  ZERO,
} from "./balances.ts";
import { accountIds, accountInfo, BANK, type IncomeSource, PRINCIPAL, phaseAllows } from "./chart.ts";
import { type FiscalYearPhase, fiscalYearOf, phaseOf } from "./fiscal-year.ts";
import { reversedLines, transfer, unbalanced } from "./journal.ts";
import {
  type ApprovalRequest,
  type ApprovalStamp,
  DEFAULT_APPROVAL_THRESHOLD_YEN,
  type ExpenseRequest,
  type FiscalYear,
  type Hold,
  type HoldRequest,
  type Journal,
  type Programme,
  type RequestRecord,
} from "./model.ts";
import { addYen } from "./money.ts";

/**
 * Every change of the ledger, decided without I/O: given what the store loaded (balances, the fiscal
 * years, the programme, the hold) and the command, the journals to write, the hold or approval request
 * as it becomes, the events and the audit entry; or a refusal. The store writes a decision in one
 * transaction, with the no-overdraft rule as a condition on every balance it takes from, so the
 * invariants hold however many write at once; what is checked here only refuses early and clearly.
 */

/** The rules a refusal names (the `rule` of a 409 problem). */
export const LEDGER_RULES = {
  insufficientAvailable: "insufficient-available",
  fiscalYearClosed: "fiscal-year-closed",
  settlementPeriod: "settlement-period",
  fiscalYearEnded: "fiscal-year-ended",
  fiscalYearNotStarted: "fiscal-year-not-started",
  closeTooEarly: "close-after-settlement",
  twoPersonRule: "two-person-rule",
  alreadyReversed: "already-reversed",
  notReversible: "not-reversible",
  postExceedsHold: "post-exceeds-hold",
  holdExpired: "hold-expired",
} as const;

export interface Stamp {
  readonly now: Date;
  readonly today: string;
  readonly newId: () => string;
  readonly actor: string;
  readonly correlationId: string;
  readonly requestId?: string | undefined;
}

/** What the store loaded for a command. */
export interface LedgerView {
  /** Current counters of the accounts the command touches; an account never written is absent. */
  readonly balances: ReadonlyMap<string, Counters>;
  readonly fiscalYears: ReadonlyMap<number, FiscalYear>;
}

export interface LedgerWrites {
  /** New journals, each with its lines' movements: posted, pending or release. */
  readonly journals: readonly Journal[];
  readonly hold?: { readonly next: Hold; readonly expectedVersion: number | null } | undefined;
  readonly approval?: { readonly next: ApprovalRequest; readonly expectedVersion: number | null } | undefined;
  /** Marks the journal reversed (once only). */
  readonly reversal?: { readonly journalId: string; readonly reversedBy: string } | undefined;
  /** A requester's reference recorded, on condition that it is new (records are written once). */
  readonly request?: { readonly next: RequestRecord } | undefined;
}
export type LedgerDecision<State> = Decision<State, LedgerWrites>;
export type LedgerDecided<State> = Decided<State, LedgerWrites>;

export type YearStatus = (fiscalYear: number) => FiscalYearPhase;

export function yearPhase(view: LedgerView, today: string): YearStatus {
  return (fiscalYear) => phaseOf(fiscalYear, today, view.fiscalYears.get(fiscalYear)?.status === "closed");
}

type Action = Parameters<typeof phaseAllows>[1];

/** Why a fiscal year in its phase does not take the action, or undefined when it does. */
export function phaseRefusal(fiscalYear: number, phase: FiscalYearPhase, action: Action): Refusal | undefined {
  if (phaseAllows(phase, action)) return undefined;
  const year = `FY${fiscalYear}`;
  switch (phase) {
    case "closed":
      return refuse.rule(LEDGER_RULES.fiscalYearClosed, `${year} is closed: it takes nothing more`, { fiscalYear });
    case "settlement":
      return refuse.rule(
        LEDGER_RULES.settlementPeriod,
        `${year} is in its settlement period (to May 31): it takes only the postings of its own holds`,
        { fiscalYear },
      );
    case "closable":
      return refuse.rule(
        LEDGER_RULES.fiscalYearEnded,
        `${year}'s settlement period has ended: it may only be closed, and its holds voided`,
        { fiscalYear },
      );
    case "upcoming":
      return refuse.rule(LEDGER_RULES.fiscalYearNotStarted, `${year} has not started: nothing is spent in it yet`, {
        fiscalYear,
      });
    case "open":
      return refuse.rule(LEDGER_RULES.closeTooEarly, `${year} can be closed only after its settlement period`, {
        fiscalYear,
      });
  }
}

/**
 * Refuses when a journal would take an account with a balance rule below zero (pending amounts
 * included), naming the account, what is available and what was asked.
 */
export function ruleRefusal(
  journals: readonly Journal[],
  balances: ReadonlyMap<string, Counters>,
): Refusal | undefined {
  const after = new Map<string, Counters>();
  for (const journal of journals) {
    for (const [account, delta] of movementsOf(journal.lines, journal.phase)) {
      const info = accountInfo(account);
      if (!info) return refuse.invalid([{ path: "lines", message: `not an account of the chart: ${account}` }]);
      const before = after.get(account) ?? balances.get(account) ?? ZERO;
      const next = addCounters(before, delta);
      after.set(account, next);
      if (info.rule && availableDelta(info, delta) < 0 && availableOf(info, next) < 0) {
        return refuse.rule(
          LEDGER_RULES.insufficientAvailable,
          `Not enough available on ${account}: ${availableOf(info, before)} yen available, ${-availableDelta(info, delta)} asked`,
          { account, availableYen: availableOf(info, before), requestedYen: -availableDelta(info, delta) },
        );
      }
    }
  }
  return undefined;
}

function journalOf(
  stamp: Stamp,
  fields: Pick<Journal, "kind" | "fiscalYear" | "phase" | "description" | "lines"> &
    Partial<Pick<Journal, "reference" | "reverses" | "releases" | "holdId" | "approval">>,
): Journal {
  return {
    id: stamp.newId(),
    date: stamp.today,
    actor: stamp.actor,
    approval: null,
    correlationId: stamp.correlationId,
    createdAt: stamp.now.toISOString(),
    ...(stamp.requestId && { requestId: stamp.requestId }),
    ...fields,
  };
}

export function journalEvent(journal: Journal): PendingEvent {
  return event(FundJournalPosted, {
    journalId: journal.id,
    kind: journal.kind,
    fiscalYear: journal.fiscalYear,
    date: journal.date,
    pending: journal.phase === "pending",
    ...(journal.reference && { reference: journal.reference }),
    description: journal.description,
    lines: journal.lines.map((l) => ({ account: l.account, side: l.side, amountYen: l.amountYen })),
    ...(journal.reverses && { reverses: journal.reverses }),
  });
}

function audit(entity: string, action: string, beforeVersion: number | null, afterVersion: number | null): AuditEntry {
  return { entity, action, beforeVersion, afterVersion };
}

/** A plain journal (capital, income, appropriation) once its rules and the year's phase are checked. */
function postJournal(
  view: LedgerView,
  stamp: Stamp,
  journal: Journal,
  action: Action | undefined,
): LedgerDecided<Journal> {
  const invalid = unbalanced(journal.lines);
  if (invalid) return refused(invalid);
  const phase = yearPhase(view, stamp.today)(journal.fiscalYear);
  const notNow = action ? phaseRefusal(journal.fiscalYear, phase, action) : undefined;
  if (notNow) return refused(notNow);
  const broken = ruleRefusal([journal], view.balances);
  if (broken) return refused(broken);
  return decided({
    state: journal,
    expectedVersion: null,
    journals: [journal],
    events: [journalEvent(journal)],
    audit: audit(`journal/${journal.id}`, journal.kind, null, 1),
  });
}

/** Capital contributed to the fund (by ordinance, from the general account): bank ← principal. */
export function contributeCapital(
  view: LedgerView,
  command: { amountYen: number; description: Journal["description"]; reference?: string | undefined },
  stamp: Stamp,
): LedgerDecided<Journal> {
  return postJournal(
    view,
    stamp,
    journalOf(stamp, {
      kind: "capital",
      fiscalYear: fiscalYearOf(stamp.today),
      phase: "posted",
      description: command.description,
      ...(command.reference && { reference: command.reference }),
      lines: transfer(BANK, PRINCIPAL, command.amountYen),
    }),
    // Capital is the fund's, not a year's: any day takes it.
    undefined,
  );
}

/** Income of the current fiscal year: investment income, or a contribution from the general account. */
export function recordIncome(
  view: LedgerView,
  command: {
    source: IncomeSource;
    amountYen: number;
    description: Journal["description"];
    reference?: string | undefined;
  },
  stamp: Stamp,
): LedgerDecided<Journal> {
  const fiscalYear = fiscalYearOf(stamp.today);
  return postJournal(
    view,
    stamp,
    journalOf(stamp, {
      kind: "income",
      fiscalYear,
      phase: "posted",
      description: command.description,
      ...(command.reference && { reference: command.reference }),
      lines: transfer(BANK, accountIds.income(fiscalYear, command.source), command.amountYen),
    }),
    "income",
  );
}

/** A fiscal year's budget for a programme, from the principal (which must cover it). */
export function appropriate(
  view: LedgerView,
  programme: Programme | undefined,
  command: { fiscalYear: number; programme: string; amountYen: number; description: Journal["description"] },
  stamp: Stamp,
): LedgerDecided<Journal> {
  if (!programme) return refused(refuse.notFound(`Programme ${command.programme}`));
  return postJournal(
    view,
    stamp,
    journalOf(stamp, {
      kind: "appropriation",
      fiscalYear: command.fiscalYear,
      phase: "posted",
      description: command.description,
      lines: transfer(PRINCIPAL, accountIds.appropriation(command.fiscalYear, programme.id), command.amountYen),
    }),
    "appropriate",
  );
}

/** What a refusal of a hold request tells the requester (the reason of `FundHoldRejected.v1`). */
export function rejectionReasonOf(refusal: Refusal): z.infer<typeof HoldRejectionReason> | undefined {
  if (refusal.kind === "not-found") return "unknown-appropriation";
  if (refusal.kind !== "rule-broken") return undefined;
  switch (refusal.rule) {
    case LEDGER_RULES.insufficientAvailable:
      return "insufficient-available";
    case LEDGER_RULES.fiscalYearClosed:
      return "fiscal-year-closed";
    case LEDGER_RULES.settlementPeriod:
    case LEDGER_RULES.fiscalYearEnded:
      return "settlement-period";
    default:
      return undefined;
  }
}

function appropriationRefusal(view: LedgerView, fiscalYear: number, programme: string): Refusal | undefined {
  const account = accountIds.appropriation(fiscalYear, programme);
  return view.balances.has(account) ? undefined : refuse.notFound(`An appropriation for FY${fiscalYear} ${programme}`);
}

/** The requester's own record of a request above the threshold: it waits for a second person. */
function awaitingApproval(
  operation: ApprovalRequest["operation"],
  request: HoldRequest | ExpenseRequest,
  requester: string | undefined,
  stamp: Stamp,
): LedgerDecided<ApprovalRequest> {
  const next: ApprovalRequest = {
    id: stamp.newId(),
    operation,
    status: "awaiting-approval",
    reference: request.reference,
    ...(requester && { requester }),
    programme: request.programme,
    fiscalYear: request.fiscalYear,
    amountYen: request.amountYen,
    description: request.description,
    ...("expiresOn" in request && request.expiresOn && { expiresOn: request.expiresOn }),
    ...(request.partnerId && { partnerId: request.partnerId }),
    requestedBy: stamp.actor,
    requestedAt: stamp.now.toISOString(),
    version: 1,
  };
  return decided({
    state: next,
    expectedVersion: null,
    journals: [],
    approval: { next, expectedVersion: null },
    events: [],
    audit: audit(`approval/${next.id}`, `request-${operation}`, null, 1),
  });
}

/** Places a hold: pending, appropriation → commitments. */
function placeHold(
  view: LedgerView,
  request: HoldRequest,
  stamp: Stamp,
  approval: ApprovalStamp | null,
): LedgerDecided<Hold> {
  const { fiscalYear, programme, amountYen } = request;
  const notNow = phaseRefusal(fiscalYear, yearPhase(view, stamp.today)(fiscalYear), "hold");
  if (notNow) return refused(notNow);
  const missing = appropriationRefusal(view, fiscalYear, programme);
  if (missing) return refused(missing);
  const holdId = stamp.newId();
  const journal = journalOf(stamp, {
    kind: "hold",
    fiscalYear,
    phase: "pending",
    description: request.description,
    reference: request.reference,
    holdId,
    approval,
    lines: holdLines(request),
  });
  const broken = ruleRefusal([journal], view.balances);
  if (broken) return refused(broken);
  const hold: Hold = {
    id: holdId,
    reference: request.reference,
    ...(request.requester && { requester: request.requester }),
    programme,
    fiscalYear,
    amountYen,
    description: request.description,
    ...(request.expiresOn && { expiresOn: request.expiresOn }),
    ...(request.partnerId && { partnerId: request.partnerId }),
    status: "held",
    journalId: journal.id,
    postedYen: 0,
    releasedYen: 0,
    approval,
    createdBy: stamp.actor,
    createdAt: stamp.now.toISOString(),
    version: 1,
  };
  return decided({
    state: hold,
    expectedVersion: null,
    journals: [journal],
    hold: { next: hold, expectedVersion: null },
    events: [
      event(FundHoldPlaced, {
        holdId,
        reference: hold.reference,
        ...(hold.requester && { requester: hold.requester }),
        programme,
        fiscalYear,
        amountYen,
        ...(hold.expiresOn && { expiresOn: hold.expiresOn }),
        journalId: journal.id,
      }),
      journalEvent(journal),
    ],
    audit: audit(`hold/${holdId}`, "place", null, 1),
  });
}

/**
 * The two-person rule: above the programme's threshold a request waits for a fund-approver, unless its year
 * could not take it anyway (refused now rather than asking a second person for nothing); below, undefined.
 */
function secondPerson(
  view: LedgerView,
  programme: Programme,
  operation: ApprovalRequest["operation"],
  request: HoldRequest | ExpenseRequest,
  requester: string | undefined,
  stamp: Stamp,
): LedgerDecided<ApprovalRequest> | undefined {
  if (request.amountYen <= programme.approvalThresholdYen) return undefined;
  const action = operation === "hold" ? "hold" : "spend";
  const notNow = phaseRefusal(request.fiscalYear, yearPhase(view, stamp.today)(request.fiscalYear), action);
  // Refused now rather than after the approver's decision: no approval can make a missing appropriation appear.
  const missing = notNow ?? appropriationRefusal(view, request.fiscalYear, request.programme);
  return missing ? refused(missing) : awaitingApproval(operation, request, requester, stamp);
}

/** A hold as asked: placed at once, or (above the programme's threshold) waiting for approval. */
export function requestHold(
  view: LedgerView,
  programme: Programme | undefined,
  request: HoldRequest,
  stamp: Stamp,
): LedgerDecided<Hold> | LedgerDecided<ApprovalRequest> {
  if (!programme) return refused(refuse.notFound(`Programme ${request.programme}`));
  return (
    secondPerson(view, programme, "hold", request, request.requester, stamp) ?? placeHold(view, request, stamp, null)
  );
}

/** The event telling an event requester why its hold was not placed. */
export function holdRejectedEvent(
  request: HoldRequest,
  reason: z.infer<typeof HoldRejectionReason>,
  detail: string,
): PendingEvent {
  return event(FundHoldRejected, {
    reference: request.reference,
    ...(request.requester && { requester: request.requester }),
    programme: request.programme,
    fiscalYear: request.fiscalYear,
    amountYen: request.amountYen,
    reason,
    detail: detail.slice(0, 1000),
  });
}

/** A hold's own pending lines: appropriation → commitments. */
function holdLines(hold: Pick<Hold, "fiscalYear" | "programme" | "amountYen">): Line[] {
  return transfer(
    accountIds.appropriation(hold.fiscalYear, hold.programme),
    accountIds.commitments(hold.fiscalYear, hold.programme),
    hold.amountYen,
  );
}

/** The journal that gives back a hold's pending amounts. */
function releaseOf(hold: Hold, stamp: Stamp, why: string): Journal {
  return journalOf(stamp, {
    kind: "release",
    fiscalYear: hold.fiscalYear,
    phase: "release",
    description: { ja: `保留の解除（${why}）`, en: `Hold released (${why})` },
    reference: hold.reference,
    holdId: hold.id,
    releases: hold.journalId,
    lines: holdLines(hold),
  });
}

/** The four lines of spending: the budget consumed (appropriation → commitments) and the cash paid (expenses ← bank). */
function spendingLines(fiscalYear: number, programme: string, amountYen: number): Line[] {
  return [
    ...holdLines({ fiscalYear, programme, amountYen }),
    ...transfer(accountIds.expenses(fiscalYear, programme), BANK, amountYen),
  ];
}

/** The hold, if it can still be resolved on the version the caller read (when given); else why not. */
function heldHold(
  hold: Hold | undefined,
  command: { holdId: string; expectedVersion?: number | undefined },
): Hold | Refusal {
  if (!hold) return refuse.notFound(`Hold ${command.holdId}`);
  if (hold.status !== "held") {
    return refuse.conflict(`Hold ${hold.id} is ${hold.status} already: a hold is resolved once`, hold.status);
  }
  if (command.expectedVersion !== undefined && command.expectedVersion !== hold.version) {
    return refuse.stale(hold.version);
  }
  return hold;
}

/** Posts a hold, fully or partly: its pending amounts are released and what is spent is posted. */
export function postHold(
  view: LedgerView,
  stored: Hold | undefined,
  command: { holdId: string; amountYen?: number | undefined; expectedVersion?: number | undefined },
  stamp: Stamp,
): LedgerDecided<Hold> {
  const hold = heldHold(stored, command);
  if ("kind" in hold) return refused(hold);
  const amountYen = command.amountYen ?? hold.amountYen;
  if (!Number.isSafeInteger(amountYen) || amountYen < 1) {
    return refused(refuse.invalid([{ path: "body.amountYen", message: "must be a whole number of yen, at least 1" }]));
  }
  if (amountYen > hold.amountYen) {
    return refused(
      refuse.rule(
        LEDGER_RULES.postExceedsHold,
        `Hold ${hold.id} holds ${hold.amountYen} yen; ${amountYen} cannot be posted`,
        {
          heldYen: hold.amountYen,
          requestedYen: amountYen,
        },
      ),
    );
  }
  const notNow = phaseRefusal(hold.fiscalYear, yearPhase(view, stamp.today)(hold.fiscalYear), "post");
  if (notNow) return refused(notNow);
  const release = releaseOf(hold, stamp, "posted");
  const posting = journalOf(stamp, {
    kind: "posting",
    fiscalYear: hold.fiscalYear,
    phase: "posted",
    description: hold.description,
    reference: hold.reference,
    holdId: hold.id,
    approval: hold.approval,
    lines: spendingLines(hold.fiscalYear, hold.programme, amountYen),
  });
  const journals = [release, posting];
  const broken = ruleRefusal(journals, view.balances);
  if (broken) return refused(broken);
  const next: Hold = {
    ...hold,
    status: "posted",
    postedYen: amountYen,
    releasedYen: hold.amountYen - amountYen,
    resolvedBy: [release.id, posting.id],
    resolvedAt: stamp.now.toISOString(),
    version: hold.version + 1,
  };
  return decided({
    state: next,
    expectedVersion: hold.version,
    journals,
    hold: { next, expectedVersion: hold.version },
    events: [
      event(FundHoldPosted, {
        holdId: hold.id,
        reference: hold.reference,
        ...(hold.requester && { requester: hold.requester }),
        programme: hold.programme,
        fiscalYear: hold.fiscalYear,
        amountYen: hold.amountYen,
        postedYen: amountYen,
        releasedYen: next.releasedYen,
        journalId: posting.id,
      }),
      journalEvent(release),
      journalEvent(posting),
    ],
    audit: audit(`hold/${hold.id}`, "post", hold.version, next.version),
  });
}

/** Voids a hold (explicitly, on expiry, or when its year closes): all of it is released. */
export function voidHold(
  view: LedgerView,
  stored: Hold | undefined,
  command: {
    holdId: string;
    reason: "voided" | "expired" | "fiscal-year-closed";
    expectedVersion?: number | undefined;
  },
  stamp: Stamp,
): LedgerDecided<Hold> {
  const hold = heldHold(stored, command);
  if ("kind" in hold) return refused(hold);
  if (command.reason === "expired" && !(hold.expiresOn && hold.expiresOn < stamp.today)) {
    return refused(refuse.conflict(`Hold ${hold.id} has not expired`, hold.status));
  }
  const notNow = phaseRefusal(hold.fiscalYear, yearPhase(view, stamp.today)(hold.fiscalYear), "release");
  if (notNow) return refused(notNow);
  const release = releaseOf(hold, stamp, command.reason);
  const next: Hold = {
    ...hold,
    status: command.reason === "expired" ? "expired" : "voided",
    releasedYen: hold.amountYen,
    resolvedBy: [release.id],
    resolvedAt: stamp.now.toISOString(),
    version: hold.version + 1,
  };
  return decided({
    state: next,
    expectedVersion: hold.version,
    journals: [release],
    hold: { next, expectedVersion: hold.version },
    events: [
      event(FundHoldVoided, {
        holdId: hold.id,
        reference: hold.reference,
        ...(hold.requester && { requester: hold.requester }),
        programme: hold.programme,
        fiscalYear: hold.fiscalYear,
        amountYen: hold.amountYen,
        releasedYen: hold.amountYen,
        reason: command.reason,
        journalId: release.id,
      }),
      journalEvent(release),
    ],
    audit: audit(`hold/${hold.id}`, command.reason === "voided" ? "void" : command.reason, hold.version, next.version),
  });
}

function expenseJournal(
  view: LedgerView,
  request: ExpenseRequest,
  stamp: Stamp,
  approval: ApprovalStamp | null,
): LedgerDecided<Journal> {
  const notNow = phaseRefusal(request.fiscalYear, yearPhase(view, stamp.today)(request.fiscalYear), "spend");
  if (notNow) return refused(notNow);
  const missing = appropriationRefusal(view, request.fiscalYear, request.programme);
  if (missing) return refused(missing);
  const journal = journalOf(stamp, {
    kind: "expense",
    fiscalYear: request.fiscalYear,
    phase: "posted",
    description: request.description,
    reference: request.reference,
    approval,
    lines: spendingLines(request.fiscalYear, request.programme, request.amountYen),
  });
  const broken = ruleRefusal([journal], view.balances);
  if (broken) return refused(broken);
  return decided({
    state: journal,
    expectedVersion: null,
    journals: [journal],
    events: [journalEvent(journal)],
    audit: audit(`journal/${journal.id}`, "expense", null, 1),
  });
}

/** Spending without a hold; above the programme's threshold it waits for approval. */
export function spend(
  view: LedgerView,
  programme: Programme | undefined,
  request: ExpenseRequest,
  stamp: Stamp,
): LedgerDecided<Journal> | LedgerDecided<ApprovalRequest> {
  if (!programme) return refused(refuse.notFound(`Programme ${request.programme}`));
  const waiting = secondPerson(view, programme, "expense", request, undefined, stamp);
  if (waiting) return waiting;
  return expenseJournal(view, request, stamp, null);
}

function decidable(request: ApprovalRequest | undefined, id: string, approver: string): Refusal | undefined {
  if (!request) return refuse.notFound(`Approval request ${id}`);
  if (request.status !== "awaiting-approval") {
    return refuse.conflict(`Approval request ${id} is ${request.status} already`, request.status);
  }
  if (request.requestedBy === approver) {
    return refuse.rule(LEDGER_RULES.twoPersonRule, "The requester cannot approve or reject their own request", {
      requestedBy: request.requestedBy,
    });
  }
  return undefined;
}

/** A fund-approver other than the requester approves: the hold is placed, or the expense posted. */
export function approve(
  view: LedgerView,
  request: ApprovalRequest | undefined,
  command: { approvalId: string },
  stamp: Stamp,
): LedgerDecided<ApprovalRequest> {
  const notNow = decidable(request, command.approvalId, stamp.actor);
  if (notNow || !request) return refused(notNow ?? refuse.notFound(`Approval request ${command.approvalId}`));
  const approval: ApprovalStamp = { by: stamp.actor, at: stamp.now.toISOString() };
  const outcome =
    request.operation === "hold"
      ? placeHold(view, { ...request, ...(request.requester && { requester: request.requester }) }, stamp, approval)
      : expenseJournal(view, request, stamp, approval);
  if (!outcome.ok) return outcome;
  const next: ApprovalRequest = {
    ...request,
    status: "approved",
    decidedBy: stamp.actor,
    decidedAt: approval.at,
    resultId: outcome.decision.state.id,
    version: request.version + 1,
  };
  return decided({
    ...outcome.decision,
    state: next,
    expectedVersion: request.version,
    approval: { next, expectedVersion: request.version },
    audit: audit(`approval/${request.id}`, "approve", request.version, next.version),
  });
}

export function reject(
  request: ApprovalRequest | undefined,
  command: { approvalId: string; reason: string },
  stamp: Stamp,
): LedgerDecided<ApprovalRequest> {
  const notNow = decidable(request, command.approvalId, stamp.actor);
  if (notNow || !request) return refused(notNow ?? refuse.notFound(`Approval request ${command.approvalId}`));
  const next: ApprovalRequest = {
    ...request,
    status: "rejected",
    decidedBy: stamp.actor,
    decidedAt: stamp.now.toISOString(),
    reason: command.reason,
    version: request.version + 1,
  };
  const events =
    request.operation === "hold" && request.requester
      ? [holdRejectedEvent({ ...request, requester: request.requester }, "approver-rejected", command.reason)]
      : [];
  return decided({
    state: next,
    expectedVersion: request.version,
    journals: [],
    approval: { next, expectedVersion: request.version },
    events,
    audit: audit(`approval/${request.id}`, "reject", request.version, next.version),
  });
}

const REVERSIBLE: ReadonlySet<Journal["kind"]> = new Set(["capital", "income", "appropriation", "expense", "posting"]);

/** A correction: a journal with the same lines on the other sides, linked to the one it reverses (once). */
export function reverse(
  view: LedgerView,
  original: (Journal & { reversedBy?: string | undefined }) | undefined,
  command: { journalId: string; description: Journal["description"] },
  stamp: Stamp,
): LedgerDecided<Journal> {
  if (!original) return refused(refuse.notFound(`Journal ${command.journalId}`));
  if (original.reversedBy) {
    return refused(
      refuse.rule(
        LEDGER_RULES.alreadyReversed,
        `Journal ${original.id} is reversed already by ${original.reversedBy}`,
        {
          reversedBy: original.reversedBy,
        },
      ),
    );
  }
  if (!REVERSIBLE.has(original.kind) || original.phase !== "posted") {
    return refused(
      refuse.rule(
        LEDGER_RULES.notReversible,
        `A ${original.kind} journal is not reversed: holds are voided, and releases, reversals and closings stand`,
        { kind: original.kind },
      ),
    );
  }
  const phase = yearPhase(view, stamp.today)(original.fiscalYear);
  if (original.kind !== "capital") {
    const action: Action =
      original.kind === "income" ? "income" : original.kind === "appropriation" ? "appropriate" : "post";
    const notNow = phaseRefusal(original.fiscalYear, phase, action);
    if (notNow) return refused(notNow);
  }
  const journal = journalOf(stamp, {
    kind: "reversal",
    fiscalYear: original.fiscalYear,
    phase: "posted",
    description: command.description,
    ...(original.reference && { reference: original.reference }),
    reverses: original.id,
    lines: reversedLines(original.lines),
  });
  const broken = ruleRefusal([journal], view.balances);
  if (broken) return refused(broken);
  return decided({
    state: journal,
    expectedVersion: null,
    journals: [journal],
    reversal: { journalId: original.id, reversedBy: journal.id },
    events: [journalEvent(journal)],
    audit: audit(`journal/${original.id}`, "reverse", 1, 1),
  });
}

/**
 * The closing journal of one programme's year: the unspent appropriation back to the principal, and
 * commitments netted against expenses. Holds must be resolved first (the store voids them before).
 */
export function closeProgrammeYear(
  balances: ReadonlyMap<string, Counters>,
  fiscalYear: number,
  programme: string,
  stamp: Stamp,
): Journal | Refusal | undefined {
  const appropriation = accountIds.appropriation(fiscalYear, programme);
  const commitments = accountIds.commitments(fiscalYear, programme);
  const expenses = accountIds.expenses(fiscalYear, programme);
  const a = balances.get(appropriation) ?? ZERO;
  const c = balances.get(commitments) ?? ZERO;
  const e = balances.get(expenses) ?? ZERO;
  if (a.debitsPending !== 0 || c.creditsPending !== 0) {
    return refuse.conflict(`FY${fiscalYear} ${programme} still has holds pending`, "held");
  }
  const unspent = a.creditsPosted - a.debitsPosted;
  const committed = c.creditsPosted - c.debitsPosted;
  const spent = e.debitsPosted - e.creditsPosted;
  const lines: Line[] = [
    ...(unspent > 0 ? transfer(appropriation, PRINCIPAL, unspent) : []),
    ...(committed > 0 ? [{ account: commitments, side: "debit" as const, amountYen: committed }] : []),
    ...(spent > 0 ? [{ account: expenses, side: "credit" as const, amountYen: spent }] : []),
  ];
  if (lines.length === 0) return undefined;
  return journalOf(stamp, {
    kind: "closing",
    fiscalYear,
    phase: "posted",
    description: {
      ja: `FY${fiscalYear} ${programme} 年度末決算`,
      en: `FY${fiscalYear} ${programme}: year-end closing`,
    },
    lines,
  });
}

/** The closing journal of a year's income: into the principal. */
export function closeIncomeYear(
  balances: ReadonlyMap<string, Counters>,
  fiscalYear: number,
  sources: readonly IncomeSource[],
  stamp: Stamp,
): Journal | undefined {
  const lines: Line[] = [];
  let total = 0;
  for (const source of sources) {
    const counters = balances.get(accountIds.income(fiscalYear, source)) ?? ZERO;
    const balance = counters.creditsPosted - counters.debitsPosted;
    if (balance > 0) {
      lines.push({ account: accountIds.income(fiscalYear, source), side: "debit", amountYen: balance });
      total = addYen(total, balance);
    }
  }
  if (total === 0) return undefined;
  lines.push({ account: PRINCIPAL, side: "credit", amountYen: total });
  return journalOf(stamp, {
    kind: "closing",
    fiscalYear,
    phase: "posted",
    description: { ja: `FY${fiscalYear} 収入の元本繰入`, en: `FY${fiscalYear}: income closed into the principal` },
    lines,
  });
}

/** The year's closing: allowed after its settlement period, once. */
export function closeYearRefusal(view: LedgerView, fiscalYear: number, today: string): Refusal | undefined {
  return phaseRefusal(fiscalYear, yearPhase(view, today)(fiscalYear), "close");
}

export function fiscalYearClosedEvent(
  fiscalYear: number,
  returnedToPrincipalYen: number,
  voidedHolds: number,
  journalIds: string[],
): PendingEvent {
  return event(FiscalYearClosed, { fiscalYear, returnedToPrincipalYen, voidedHolds, journalIds });
}

/** A new programme the fund pays for; its threshold defaults to ¥5,000,000. */
export function addProgramme(
  existing: Programme | undefined,
  command: { id: string; name: Programme["name"]; approvalThresholdYen?: number | undefined },
  stamp: Stamp,
): Decided<Programme> {
  if (existing) return refused(refuse.conflict(`Programme ${command.id} exists already`, "exists"));
  const programme: Programme = {
    id: command.id,
    name: command.name,
    approvalThresholdYen: command.approvalThresholdYen ?? DEFAULT_APPROVAL_THRESHOLD_YEN,
    createdAt: stamp.now.toISOString(),
  };
  return decided({
    state: programme,
    expectedVersion: null,
    events: [],
    audit: audit(`programme/${programme.id}`, "add", null, 1),
  });
}

export type { Phase };
