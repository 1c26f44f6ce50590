import { addDays, fiscalYearOf } from "@cdp/contracts";
import type { WriteContext } from "@cdp/lambda-kit";
import { HistoryBuilder, type HistoryEvent } from "@cdp/reports/domain/history-builders";
import { completeReport, type RequestReport, requestReport } from "@cdp/reports/domain/report-lifecycle";
import { monthlyReportSchedule, reportRequested, manifest as reports } from "@cdp/reports/manifest";
import { ReportStore } from "@cdp/reports/store/report-store";
import { MONTHLY_REPORT } from "./reports-history.ts";
import { subscriptionKey, subscriptionSampleKeys } from "./sample-keys.ts";
import type { RouteSample, SampleContext, SubscriptionSample } from "./samples.ts";

/**
 * The reports' samples. Its table holds a projected history (FY2017 to FY2026, `reports-history.ts`) before the
 * functions run. Each projection sample is an event as the bus carries it, made by the service's own history
 * builder (the one its tests check against every contract) and given identities of its own, so every invocation
 * projects a new entity (or a newer version of one) and writes, as a live event would. The report function's sample
 * asks for the monthly report (November 2026, as the schedule asks for it) of a report queued just before, through
 * the service's own store; the read routes ask about one done report made once per run.
 */

const writeContext = ({ unique }: SampleContext): WriteContext => ({
  actor: "bench",
  correlationId: `bench-${unique()}`,
  now: new Date(),
});

/** Queues a report as `POST /reports` or the schedule does, through the service's own store. */
async function queuedReport(context: SampleContext, command: RequestReport): Promise<void> {
  const write = writeContext(context);
  await context
    .store(reports.name, ReportStore)
    .change(command.reportId, (current) => requestReport(current, command, write.now), write);
}

const monthlyRequest = (context: SampleContext): RequestReport => ({
  reportId: `bench-${context.unique()}`,
  ...MONTHLY_REPORT,
  trigger: "schedule",
  requestedBy: `schedule:${monthlyReportSchedule.name}`,
});

let doneReport: Promise<string> | undefined;

/**
 * One done report, made once per run: queued, then completed with its four files as the report function records
 * them. The download route only presigns a link to a file (it never reads it), so no file needs to be in the bucket.
 */
function aDoneReport(context: SampleContext): Promise<string> {
  doneReport ??= (async () => {
    const request = monthlyRequest(context);
    await queuedReport(context, request);
    const write = writeContext(context);
    const files = (["html", "pdf", "xlsx", "csv"] as const).map((format) => ({
      format,
      key: `reports/${request.reportId}/city-diplomacy-report-${request.from}-${request.to}.${format}`,
      contentType: format === "pdf" ? "application/pdf" : "application/octet-stream",
      bytes: 100_000,
    }));
    await context
      .store(reports.name, ReportStore)
      .change(request.reportId, (current) => completeReport(current, request.reportId, files, 2, write.now), write);
    return request.reportId;
  })();
  return doneReport;
}

export const reportsRouteSamples: Readonly<Record<string, RouteSample>> = {
  createReport: () => ({ body: { kind: MONTHLY_REPORT.kind, from: MONTHLY_REPORT.from, to: MONTHLY_REPORT.to } }),
  listReports: () => ({ query: { limit: "20" } }),
  getReport: async (context) => ({ params: { id: await aDoneReport(context) } }),
  downloadReport: async (context) => ({ params: { id: await aDoneReport(context), format: "pdf" } }),
};

// -- the projected events -----------------------------------------------------------------------------------------

/** One builder for the run: its ids come from a counter, so each event it makes has ids of its own. */
const history = new HistoryBuilder();

type Maker = (builder: HistoryBuilder, context: SampleContext) => void;

const aVisit =
  (end: "approved" | "confirmed" | "completed" | "cancelled"): Maker =>
  (builder, { today }) => {
    builder.visit({
      direction: "outbound",
      level: "head",
      partnerIds: ["paris"],
      startDate: addDays(today(), 30),
      days: 3,
      estimateYen: 8_000_000,
      end,
    });
  };

const aPlacement =
  (end: "approved" | "funded" | "active" | "completed" | "cancelled" | "funding-rejected"): Maker =>
  (builder, { today }) => {
    const startDate = addDays(today(), 60);
    builder.placement({
      partnerId: "seoul",
      direction: "outbound",
      startDate,
      days: 182,
      fiscalYear: fiscalYearOf(startDate),
      estimatedYen: 4_860_000,
      end,
    });
  };

/** A notice to Paris of a confirmed visit, as Notifications tells of it after three attempts. */
const aNotice = (builder: HistoryBuilder) => ({
  noticeId: builder.uuid(),
  kind: "visit-confirmed",
  subjectKind: "visit",
  subjectId: builder.uuid(),
  partnerId: "paris",
  attempts: 3,
});

/** `fy<year>:<programme>:appropriation`, as the ledger names it. */
const appropriation = (fiscalYear: number, programme: string) => `fy${fiscalYear}:${programme}:appropriation`;

/**
 * How the builder makes each projected event: the last event of that detail type it adds is the sample. The
 * builder's makers cover most; those it has none for (a voided hold, a failed reconciliation, a notice failed or
 * sent after failing) are added through its `add`, with the fields their contracts ask for.
 */
const MAKERS: Readonly<Record<string, Maker>> = {
  "PartnerRegistered.v1": (builder) => builder.partner(2),
  "PartnerUpdated.v1": (builder) => builder.partner(2, 2),
  "RelationEstablished.v1": (builder) => builder.relation("paris", "1982-07-14"),
  "RelationDormant.v1": (builder, { today }) => builder.dormant("moscow", today(), "2019-10-02"),
  "AgreementConcluded.v1": (builder, { today }) => builder.agreement("jakarta", today(), addDays(today(), 3 * 365)),
  "VisitApproved.v1": aVisit("approved"),
  "VisitConfirmed.v1": aVisit("confirmed"),
  "VisitCancelled.v1": aVisit("cancelled"),
  "VisitCompleted.v1": aVisit("completed"),
  "ConferenceRegistered.v1": (builder, { today }) => builder.conference(addDays(today(), 200), "bid", today()),
  "TripPlanSet.v1": (builder, { today }) => builder.tripPlan(fiscalYearOf(today()), 4, 56_000_000),
  "ExchangeProgrammeCreated.v1": (builder, { today }) => builder.programme("jakarta", today()),
  "PlacementProposed.v1": aPlacement("approved"),
  "PlacementApproved.v1": aPlacement("approved"),
  "PlacementFunded.v1": aPlacement("funded"),
  "PlacementFundingRejected.v1": aPlacement("funding-rejected"),
  "PlacementStarted.v1": aPlacement("active"),
  "PlacementCompleted.v1": aPlacement("completed"),
  "PlacementCancelled.v1": aPlacement("cancelled"),
  "FundJournalPosted.v1": (builder, { today }) =>
    builder.journal("expense", fiscalYearOf(today()), "joint-research", today(), 800_000),
  "FundHoldPosted.v1": (builder, { today }) =>
    builder.heldAndPosted(fiscalYearOf(today()), "scholarships", today(), today(), 1_200_000, 1_150_000),
  "FundHoldVoided.v1": (builder, { today, serial }) =>
    builder.add("FundHoldVoided.v1", today(), {
      holdId: builder.uuid(),
      reference: `grant:bench-${serial()}`,
      programme: "scholarships",
      fiscalYear: fiscalYearOf(today()),
      amountYen: 600_000,
      releasedYen: 600_000,
      reason: "voided",
      journalId: builder.uuid(),
    }),
  "LedgerReconciled.v1": (builder, { today }) => builder.reconciled(today()),
  "LedgerReconciliationFailed.v1": (builder, { today }) =>
    builder.add("LedgerReconciliationFailed.v1", today(), {
      runId: builder.uuid(),
      checkedAt: `${today()}T14:30:00.000Z`,
      mismatches: [
        {
          account: appropriation(fiscalYearOf(today()), "scholarships"),
          field: "available",
          storedYen: 1_000_000,
          fromEntriesYen: 990_000,
        },
      ],
    }),
  "NoticeFailed.v1": (builder, { today }) =>
    builder.add("NoticeFailed.v1", today(), {
      ...aNotice(builder),
      error: "MessageRejected",
      failedAt: `${today()}T01:00:00.000Z`,
    }),
  "NoticeSentAfterFailure.v1": (builder, { today }) =>
    builder.add("NoticeSentAfterFailure.v1", today(), { ...aNotice(builder), sentAt: `${today()}T02:00:00.000Z` }),
};

/** After the seeded history's last reconciliation (end of FY2026): the latest run wins, so each sample is the latest. */
const AFTER_SEEDED_RECONCILIATIONS = Date.parse("2027-04-01T00:00:00.000Z");

/**
 * The event's entity made new for this invocation (the history's own ids recur from one run to the next, and the
 * seeded history holds the same): a new partner, visit, conference, placement, programme or notice; a newer trip
 * plan or reconciliation. The event's identity too: the consumers act once per event id.
 */
function freshened(detailType: string, detail: Record<string, unknown>, context: SampleContext) {
  const unique = context.unique();
  const correlationId = `bench-${unique}`;
  const fresh: Record<string, unknown> = {
    ...detail,
    correlationId,
    metadata: { ...(detail.metadata as object), eventId: `bench-event-${unique}`, correlationId },
  };
  if (detailType.startsWith("Partner") || detailType.startsWith("Relation") || detailType === "AgreementConcluded.v1")
    fresh.partnerId = `bench-${unique}`;
  if (detailType === "ExchangeProgrammeCreated.v1") fresh.programmeId = `bench-${unique}-exchange`;
  if ("visitId" in detail) fresh.visitId = `bench-visit-${unique}`;
  if ("conferenceId" in detail) fresh.conferenceId = `bench-conference-${unique}`;
  if ("placementId" in detail) fresh.placementId = `bench-placement-${unique}`;
  if ("noticeId" in detail) fresh.noticeId = `bench-notice-${unique}`;
  if (detailType === "TripPlanSet.v1") fresh.version = 2 + context.serial();
  if ("checkedAt" in detail)
    fresh.checkedAt = new Date(AFTER_SEEDED_RECONCILIATIONS + context.serial() * 60_000).toISOString();
  return fresh;
}

/** The detail of one event of `detailType`, as the builder makes it, made new for this invocation. */
export function projectedEvent(detailType: string, context: SampleContext): Record<string, unknown> {
  const make = MAKERS[detailType];
  if (!make) throw new Error(`no reports sample makes ${detailType}: add it to MAKERS in reports-samples.ts`);
  const from = history.events.length;
  make(history, context);
  const made: HistoryEvent | undefined = history.events
    .slice(from)
    .findLast((event) => event.detailType === detailType);
  // The builder keeps every event it made: the run makes thousands, none is needed again.
  history.events.length = 0;
  if (!made) throw new Error(`the reports sample of ${detailType} made no such event`);
  return freshened(detailType, made.detail, context);
}

/** The projections' consumers: every reports subscription but the report function, each contract's event. */
const projectionSamples = reports.subscriptions
  .filter((subscription) => subscription.name !== reportRequested.name)
  .flatMap((subscription) =>
    subscriptionSampleKeys(reports, subscription).map((key, index): [string, SubscriptionSample] => {
      const detailType = subscription.contracts[index]?.detailType ?? subscription.contract.detailType;
      return [key, (context) => projectedEvent(detailType, context)];
    }),
  );

export const reportsSubscriptionSamples: Readonly<Record<string, SubscriptionSample>> = {
  ...Object.fromEntries(projectionSamples),
  [subscriptionKey(reports, reportRequested.name)]: async (context) => {
    const request = monthlyRequest(context);
    await queuedReport(context, request);
    const correlationId = `bench-${context.unique()}`;
    return {
      ...request,
      correlationId,
      metadata: { eventId: `bench-event-${context.unique()}`, correlationId, occurredAt: new Date().toISOString() },
    };
  },
};
