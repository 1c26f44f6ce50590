import type { FundHoldRequested } from "@cdp/contracts";
import { fiscalYearOf, phaseOf } from "@cdp/fund-ledger/domain/fiscal-year";
import {
  type ApprovalRequest,
  DEFAULT_APPROVAL_THRESHOLD_YEN,
  type Hold,
  type HoldRequest,
  type Journal,
} from "@cdp/fund-ledger/domain/model";
import { latestReconciliation, reconcile } from "@cdp/fund-ledger/reconciliation";
import { LedgerReads } from "@cdp/fund-ledger/store/ledger-reads";
import { FundLedger, type Outcome } from "@cdp/fund-ledger/use-cases";
import type { WriteContext } from "@cdp/lambda-kit";
import type * as z from "zod/mini";
import type { RouteSample, SampleContext } from "./samples.ts";

/**
 * The fund ledger's samples. Every write carries a new Idempotency-Key, as a client sends one per intended
 * change. A request about a hold, an approval request or a journal gets one of its own, made just before through
 * the ledger's own use cases.
 *
 * What they take from the seeded appropriations of the current fiscal year, over at most 9 cold-start rounds
 * (the warm loops repeat only the read routes, whose samples hold nothing more than one ¥10,000 hold):
 * - joint-research (¥150m): holds and expenses of ¥10,000: placeHold, getHold, postHold, spend, about 40 in all;
 * - scholarships (¥300m): each approveRequest places a hold of ¥5.4m: under ¥50m in all;
 * - staff-exchange (¥100m): the hold-requested, hold-post-requested and hold-void-requested subscriptions, ¥10,000
 *   each, and the staff exchange's own samples (bench-exchange placements, never sent to the ledger by the bench);
 * - talent-development (¥50m): appropriate adds ¥10,000 from the principal (¥7.4bn unappropriated).
 * Approval requests that are read or rejected hold nothing.
 */

const FUND_LEDGER = "fund-ledger";
/** Holds and expenses within a programme's threshold: placed or posted at once. */
const SMALL_YEN = 10_000;
/** A year's doctoral scholarship: above the two-person threshold, so it waits for a fund-approver. */
const SCHOLARSHIP_YEN = DEFAULT_APPROVAL_THRESHOLD_YEN + 400_000;
/** Asks for approval; the bench's HTTP caller (another person) decides. */
const REQUESTER = "bench-requester";

const ledgerOf = (context: SampleContext) => context.store(FUND_LEDGER, FundLedger);
const readsOf = (context: SampleContext) => context.store(FUND_LEDGER, LedgerReads);
const currentFiscalYear = (context: SampleContext) => fiscalYearOf(context.today());

const writeContext = ({ unique }: SampleContext, actor = "bench"): WriteContext => ({
  actor,
  correlationId: `bench-${unique()}`,
  now: new Date(),
});

/** The header every write route requires: fresh for every invocation, else it is answered as a replay. */
const idempotencyKey = ({ unique }: SampleContext) => ({ "idempotency-key": `bench-${unique()}` });

/** A write made through the store: its state (never a replay, as no idempotency key is given). */
function stateOf<State>(outcome: Outcome<State>, what: string): State {
  if (outcome.replayed) throw new Error(`fund-ledger sample: ${what} was answered as a replay`);
  return outcome.state;
}

/** A joint-research trip's interpretation, within the threshold: held at once. */
const researchHoldRequest = (context: SampleContext): HoldRequest => ({
  reference: `bench:research:${context.unique()}`,
  programme: "joint-research",
  fiscalYear: currentFiscalYear(context),
  amountYen: SMALL_YEN,
  description: { ja: "パリ市との共同研究会合の通訳料", en: "Interpreting at a joint-research meeting with Paris" },
  partnerId: "paris",
});

async function heldHold(context: SampleContext): Promise<Hold> {
  const placed = stateOf(
    await ledgerOf(context).requestHold(researchHoldRequest(context), writeContext(context)),
    "a hold",
  );
  if ("operation" in placed) throw new Error(`fund-ledger sample: the hold of ¥${SMALL_YEN} awaits approval`);
  return placed;
}

/** A scholarship asked for by one person, awaiting a second. */
async function awaitingApproval(context: SampleContext): Promise<ApprovalRequest> {
  const request: HoldRequest = {
    reference: `bench:scholarship:${context.unique()}`,
    programme: "scholarships",
    fiscalYear: currentFiscalYear(context),
    amountYen: SCHOLARSHIP_YEN,
    description: { ja: "博士課程留学生奨学金（1年分）", en: "A doctoral scholarship for one year" },
  };
  const requested = stateOf(
    await ledgerOf(context).requestHold(request, writeContext(context, REQUESTER)),
    "an approval request",
  );
  if (!("operation" in requested)) throw new Error("fund-ledger sample: the scholarship was held without approval");
  return requested;
}

/** Investment income, recorded (a posted journal that may be reversed). */
async function incomeJournal(context: SampleContext): Promise<Journal> {
  return stateOf(
    await ledgerOf(context).recordIncome(
      {
        source: "investment",
        amountYen: SMALL_YEN,
        description: { ja: "債券の利息収入", en: "Interest on bond holdings" },
        reference: `bench:income:${context.unique()}`,
      },
      writeContext(context),
    ),
    "income",
  );
}

/** The earliest fiscal year whose settlement period has ended and that is not closed yet: one with nothing in it. */
async function closableYear(context: SampleContext): Promise<number> {
  const reads = readsOf(context);
  for (let fiscalYear = 2000; phaseOf(fiscalYear, context.today(), false) === "closable"; fiscalYear++) {
    if ((await reads.fiscalYear(fiscalYear))?.status !== "closed") return fiscalYear;
  }
  throw new Error("fund-ledger sample: every fiscal year that could be closed is closed already");
}

/** A hold the staff exchange asked for by event, placed just before through the ledger's own use case. */
export async function heldByEvent(context: SampleContext): Promise<{ requester: string; reference: string }> {
  const request = holdRequestedDetail(context);
  const outcome = await ledgerOf(context).requestHoldByEvent(
    request,
    `bench-event-${context.unique()}`,
    writeContext(context, `event:${request.requester}`),
  );
  if (!("made" in outcome) || "operation" in outcome.made) {
    throw new Error("fund-ledger sample: the hold asked for by event was not placed");
  }
  return { requester: request.requester, reference: request.reference };
}

export const ledgerRouteSamples: Readonly<Record<string, RouteSample>> = {
  contributeCapital: (context) => ({
    headers: idempotencyKey(context),
    body: {
      amountYen: SMALL_YEN,
      description: { ja: "一般会計からの基金積立", en: "Added to the fund from the general account" },
      reference: `bench:capital:${context.unique()}`,
    },
  }),
  recordIncome: (context) => ({
    headers: idempotencyKey(context),
    body: {
      source: "investment",
      amountYen: SMALL_YEN,
      description: { ja: "預金利息", en: "Interest on deposits" },
      reference: `bench:income:${context.unique()}`,
    },
  }),
  appropriate: (context) => ({
    headers: idempotencyKey(context),
    body: {
      fiscalYear: currentFiscalYear(context),
      programme: "talent-development",
      amountYen: SMALL_YEN,
      description: { ja: "研修教材費の追加配分", en: "Additional budget for training materials" },
    },
  }),
  placeHold: (context) => ({ headers: idempotencyKey(context), body: researchHoldRequest(context) }),
  getHold: async (context) => ({ params: { id: (await heldHold(context)).id } }),
  // Partly: what the interpreter invoiced; the rest is released.
  postHold: async (context) => ({
    params: { id: (await heldHold(context)).id },
    headers: idempotencyKey(context),
    body: { amountYen: SMALL_YEN - 1_500 },
  }),
  voidHold: async (context) => ({ params: { id: (await heldHold(context)).id }, headers: idempotencyKey(context) }),
  spend: (context) => ({
    headers: idempotencyKey(context),
    body: {
      reference: `bench:expense:${context.unique()}`,
      programme: "joint-research",
      fiscalYear: currentFiscalYear(context),
      amountYen: SMALL_YEN,
      description: { ja: "共同研究報告書の翻訳料", en: "Translation of a joint-research report" },
    },
  }),
  listApprovals: () => ({}),
  getApproval: async (context) => ({ params: { id: (await awaitingApproval(context)).id } }),
  approveRequest: async (context) => ({
    params: { id: (await awaitingApproval(context)).id },
    headers: idempotencyKey(context),
  }),
  rejectRequest: async (context) => ({
    params: { id: (await awaitingApproval(context)).id },
    headers: idempotencyKey(context),
    body: { reason: "The candidate has a scholarship from another fund this year" },
  }),
  getJournal: async (context) => ({ params: { id: (await incomeJournal(context)).id } }),
  reverseJournal: async (context) => ({
    params: { id: (await incomeJournal(context)).id },
    headers: idempotencyKey(context),
    body: { description: { ja: "利息収入の誤計上の取消", en: "Interest recorded in error" } },
  }),
  getBalances: (context) => ({ query: { fiscalYear: String(currentFiscalYear(context)) } }),
  listEntries: (context) => {
    const fiscalYear = currentFiscalYear(context);
    return {
      params: { account: `fy${fiscalYear}:joint-research:appropriation` },
      query: { from: `${fiscalYear}-04-01`, limit: "20" },
    };
  },
  getTrialBalance: () => ({}),
  getStatement: (context) => ({ params: { fiscalYear: String(currentFiscalYear(context)) } }),
  // Only a year past its settlement period may be closed, and once: each invocation closes another empty one.
  closeFiscalYear: async (context) => ({
    params: { fiscalYear: String(await closableYear(context)) },
    headers: idempotencyKey(context),
  }),
  listProgrammes: () => ({}),
  addProgramme: (context) => ({
    headers: idempotencyKey(context),
    body: {
      id: `bench-${context.unique()}`,
      name: { ja: "姉妹都市青少年交流", en: "Youth exchanges with sister cities" },
      approvalThresholdYen: 3_000_000,
    },
  }),
  // The nightly run, once, if none has run yet: the route answers 404 until then.
  getReconciliation: async (context) => {
    const ledger = ledgerOf(context);
    if (!(await latestReconciliation(ledger.store)))
      await reconcile(ledger.store, readsOf(context), writeContext(context, "schedule:reconciliation"));
    return {};
  },
};

type HoldRequestedDetail = z.infer<typeof FundHoldRequested.detail>;

/** What the staff exchange asks the ledger to hold, by event; a new reference (its idempotency key) every time. */
export const holdRequestedDetail = (
  context: SampleContext,
): Omit<HoldRequestedDetail, "correlationId" | "metadata"> => ({
  requester: "staff-exchange",
  reference: `placement:bench-${context.unique()}`,
  programme: "staff-exchange",
  fiscalYear: currentFiscalYear(context),
  amountYen: SMALL_YEN,
  description: { ja: "パリ市派遣職員の日当", en: "Per diem of a staff member seconded to Paris" },
  partnerId: "paris",
});
