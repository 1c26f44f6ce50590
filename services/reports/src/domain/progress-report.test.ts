import { describe, expect, it } from "vitest";
import { aHistory, HISTORY_PARTNERS, HistoryBuilder, reportFrom } from "./history-builders.ts";
import { attentionToDeadLetters, MILESTONES, NOT_COUNTED } from "./progress-report.ts";

const reportOf = (events: ReturnType<typeof aHistory>, from: string, to: string) => reportFrom(events, from, to);

/** Two fiscal years of the platform (FY2025, FY2026); the report is November 2026's. */
const history = aHistory({ firstFiscalYear: 2025, lastFiscalYear: 2026 });
const november = await reportOf(history, "2026-11-01", "2026-11-30");

describe("the City Diplomacy Progress Report", () => {
  it("names its period, a month, a fiscal year to date or a range, in both languages", async () => {
    expect(november.period.label).toEqual({ ja: "2026年11月", en: "November 2026" });
    expect((await reportOf(history, "2026-04-01", "2026-11-30")).period.label).toEqual({
      ja: "2026年度（11月30日まで）",
      en: "FY2026 to 30 November 2026",
    });
    expect((await reportOf(history, "2026-10-15", "2026-11-30")).period.label.en).toBe(
      "15 October 2026 – 30 November 2026",
    );
  });

  it("1. counts concrete relations over time against the 15 and 30 milestones, each with its date and basis", () => {
    const { relations } = november;
    expect(relations.milestones).toEqual(MILESTONES);
    expect(relations.total).toBe(HISTORY_PARTNERS.length);
    expect(relations.series.at(-1)).toEqual({ date: "2018-07-25", count: HISTORY_PARTNERS.length });
    expect(relations.series[0]).toEqual({ date: "1960-02-29", count: 1 });
    expect(relations.rows.find((row) => row.partnerId === "los-angeles")).toMatchObject({
      basis: "reciprocal-visits",
      establishedOn: "2018-07-25",
      inPeriod: false,
    });
  });

  it("marks a relation established in the period, and leaves out one established after it", async () => {
    const builder = new HistoryBuilder();
    builder.partner(0);
    builder.relation("new-york", "2026-11-15");
    builder.partner(1);
    builder.relation("beijing", "2026-12-02");
    const report = await reportOf(builder.events, "2026-11-01", "2026-11-30");
    expect(report.relations.rows.map((row) => [row.partnerId, row.inPeriod])).toEqual([["new-york", true]]);
  });

  it("2. holds the governor's trips of the fiscal year against the cap and the budget, actual cost once known", () => {
    const { visits } = november;
    expect(visits).toMatchObject({ fiscalYear: 2026, tripCap: 3, travelBudgetYen: 42_000_000, tripsCommitted: 3 });
    // London/Paris (May, actual 13.92m), New York (November, 13.93m as estimated), Seoul (February, 8m estimate).
    expect(visits.budgetCommittedYen).toBe(13_920_000 + 13_930_000 + 8_000_000);
    expect(visits.governorTrips.map((trip) => [trip.startDate, trip.timing, trip.costBasis])).toEqual([
      ["2026-11-09", "in-period", "actual"],
      ["2027-02-15", "planned", "estimate"],
    ]);
    expect(visits.leaderVisits.map((visit) => [visit.partners[0]?.en, visit.timing])).toEqual([["Seoul", "in-period"]]);
    expect(visits.conferences).toEqual([
      expect.objectContaining({ role: "bid", deadline: "2026-12-15", city: { ja: "ソウル特別市", en: "Seoul" } }),
    ]);
  });

  it("3. counts placements by partner and direction against the quotas, and by status", () => {
    const { exchanges } = november;
    expect(exchanges.totals).toEqual({ active: 1, completed: 1, cancelled: 1, fundingRejected: 1 });
    expect(exchanges.quotas.map((row) => [row.programmeId, row.direction, row.quota, row.counted])).toEqual([
      ["berlin-exchange", "outbound", 1, 0],
      ["berlin-exchange", "inbound", 1, 1],
      ["seoul-exchange", "outbound", 1, 1],
      ["seoul-exchange", "inbound", 1, 0],
    ]);
    expect(exchanges.placements).toHaveLength(4);
    expect(exchanges.placements.every((placement) => placement.startDate >= "2026-04-01")).toBe(true);
  });

  it("4. states the fund per programme as of the period's end: appropriated, held, spent, available, released", () => {
    const { fund } = november;
    const scholarships = fund.programmes.find((row) => row.programme === "scholarships");
    // April to November: eight holds of 1.2m, each posted at 1.15m and the rest released.
    expect(scholarships).toEqual({
      programme: "scholarships",
      name: { ja: "留学生奨学金", en: "Scholarships" },
      appropriatedYen: 50_000_000,
      heldYen: 0,
      spentYen: 8 * 1_150_000,
      releasedYen: 8 * 50_000,
      availableYen: 50_000_000 - 8 * 1_150_000,
    });
    expect(fund.totals.appropriatedYen).toBe(4 * 50_000_000);
    expect(fund.totals.spentYen).toBe(8 * 1_150_000 + 8 * 800_000);
    expect(fund.reconciliation.status).toBe("ok");
  });

  it("4. shows what is still held mid-month, and a failed reconciliation", async () => {
    const builder = new HistoryBuilder();
    builder.journal("appropriation", 2026, "staff-exchange", "2026-04-01", 20_000_000);
    builder.journal("hold", 2026, "staff-exchange", "2026-11-05", 4_860_000);
    builder.add("LedgerReconciliationFailed.v1", "2026-11-29", {
      runId: builder.uuid(),
      checkedAt: "2026-11-29T14:30:00.000Z",
      mismatches: [{ account: "bank", field: "posted", storedYen: 1, fromEntriesYen: 2 }],
    });
    const { fund } = await reportOf(builder.events, "2026-11-01", "2026-11-30");
    expect(fund.programmes).toEqual([
      expect.objectContaining({ programme: "staff-exchange", heldYen: 4_860_000, availableYen: 15_140_000 }),
    ]);
    expect(fund.reconciliation).toEqual({ status: "failed", checkedAt: "2026-11-29T14:30:00.000Z", mismatches: 1 });
  });

  it("5. calls attention to notices still failed, not to those sent after all", () => {
    expect(november.attention.failedNotices.map((row) => [row.noticeId, row.partner.en])).toEqual([
      ["ntc-2026-paris", "Paris"],
    ]);
  });

  it("5. calls attention to dormant relations and agreements due for review within 90 days", () => {
    expect(november.attention.dormant.map((row) => row.partnerId)).toEqual(["moscow"]);
    expect(november.attention.reviewsDue.map((row) => [row.partnerId, row.daysLeft])).toEqual([
      ["berlin", 20],
      ["new-south-wales", 68],
    ]);
  });

  it("5. lists the dead-letter queues with letters waiting, fullest first, and the empty ones in one line", () => {
    const counted = [
      { queue: "notifications-visit-confirmed", count: 1 },
      { queue: "city-registry-visit-completed", count: 0 },
      { queue: "reports-project-events", count: 4 },
      { queue: "fund-ledger-outbox-relay", count: 0 },
    ];
    expect(attentionToDeadLetters(counted)).toEqual([
      { queue: "reports-project-events", count: 4 },
      { queue: "notifications-visit-confirmed", count: 1 },
      { queue: "ほか2キュー / 2 other queues", count: 0 },
    ]);
    expect(attentionToDeadLetters(counted.map((row) => ({ ...row, count: 0 })))).toEqual([
      { queue: "ほか4キュー / 4 other queues", count: 0 },
    ]);
    // Not counted stays "not counted" (the formats say 未集計 / Not counted), never an empty list that reads as none.
    expect(november.attention.deadLetters).toEqual(NOT_COUNTED);
  });
});
