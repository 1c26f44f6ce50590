import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeParse } from "zod/v4/core";
import { projectEvents } from "../manifest.ts";
import { changesOf, PROJECTIONS, projectAll, readerOf } from "./changes.ts";
import { aHistory, HistoryBuilder, reportFrom } from "./history-builders.ts";
import { loadInputs } from "./progress-report.ts";

const history = aHistory({ firstFiscalYear: 2025, lastFiscalYear: 2026 });

/** The projections as plain data, in a stable order, to compare two rebuilds. */
function snapshot(set: ReturnType<typeof projectAll>) {
  return {
    entities: [...set.entities.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    fundMonths: [...set.fundMonths.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

describe("projecting the bus's events", () => {
  it("is subscribed to exactly the events it projects, each source and detail-type in the rule", () => {
    const projected = PROJECTIONS.map((p) => p.contract.detailType).sort();
    expect(projectEvents.contracts.map((c) => c.detailType).sort()).toEqual(projected);
    expect([...(projectEvents.pattern["detail-type"] as string[])].sort()).toEqual(projected);
    expect([...(projectEvents.pattern.source as string[])].sort()).toEqual(
      [...new Set(PROJECTIONS.map((p) => p.contract.source))].sort(),
    );
    expect(() => changesOf("SomethingElse.v1", {})).toThrow(/do not project SomethingElse.v1/);
  });

  it("is fed histories whose every event keeps its contract", () => {
    for (const event of history) {
      const projection = PROJECTIONS.find((p) => p.contract.detailType === event.detailType);
      expect(projection, event.detailType).toBeDefined();
      const parsed = safeParse(projection?.contract.detail as never, event.detail);
      expect(parsed.success, `${event.detailType}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it("rebuilds the same projections from a replay in any order, with any event delivered twice", () => {
    const inOrder = snapshot(projectAll(history));
    fc.assert(
      fc.property(
        fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }),
        fc.array(fc.nat(history.length - 1), { maxLength: 40 }),
        (shuffled, repeats) => {
          const replay = [...shuffled, ...repeats.map((index) => history[index] as (typeof history)[number])];
          expect(snapshot(projectAll(replay))).toEqual(inOrder);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("counts a fund event once however often it comes", async () => {
    const builder = new HistoryBuilder();
    builder.journal("appropriation", 2026, "scholarships", "2026-04-01", 10_000_000);
    const once = projectAll(builder.events);
    const thrice = projectAll([...builder.events, ...builder.events, ...builder.events]);
    expect([...thrice.fundMonths.values()]).toEqual([...once.fundMonths.values()]);
    expect([...once.fundMonths.values()][0]).toMatchObject({ month: "2026-04", appropriatedYen: 10_000_000 });
  });

  it("keeps a visit's furthest step and the facts each step told, whatever arrives first", async () => {
    const builder = new HistoryBuilder();
    builder.visit({
      direction: "outbound",
      level: "head",
      partnerIds: ["london"],
      startDate: "2026-11-09",
      days: 5,
      estimateYen: 14_000_000,
      end: "completed",
      actualCostYen: 13_500_000,
    });
    const [visit] = await readerOf(projectAll([...builder.events].reverse())).visits([2026]);
    expect(visit).toMatchObject({
      status: "completed",
      estimateYen: 14_000_000,
      actualCostYen: 13_500_000,
      head: { name: { en: "Governor of Tokyo" } },
      purpose: "relationship-building",
    });
  });

  it("ends a dormancy with a completed visit after it, not with one before", async () => {
    const report = (events: ReturnType<typeof aHistory>) => reportFrom(events);
    const builder = new HistoryBuilder();
    builder.partner(8);
    builder.dormant("moscow", "2022-10-02", "2019-10-02");
    const visitOf = (startDate: string) =>
      builder.visit({
        direction: "inbound",
        level: "official",
        partnerIds: ["moscow"],
        startDate,
        days: 2,
        estimateYen: 0,
        end: "completed",
      });
    visitOf("2021-05-01");
    expect((await report(builder.events)).attention.dormant.map((row) => row.partnerId)).toEqual(["moscow"]);
    visitOf("2026-06-01");
    expect((await report(builder.events)).attention.dormant).toEqual([]);
  });

  it("lists a failed notice until it is sent, whichever of the two events comes first", async () => {
    const builder = new HistoryBuilder();
    builder.partner(2);
    const facts = {
      noticeId: "ntc-1",
      kind: "visit-confirmed",
      subjectKind: "visit",
      subjectId: "v-1",
      partnerId: "paris",
    };
    builder.add("NoticeFailed.v1", "2026-11-18", {
      ...facts,
      attempts: 3,
      error: "MessageRejected",
      failedAt: "2026-11-18T01:02:11.000Z",
    });
    const failed = [...builder.events];
    builder.add("NoticeSentAfterFailure.v1", "2026-11-19", {
      ...facts,
      attempts: 4,
      sentAt: "2026-11-19T00:00:00.000Z",
    });
    const inputsOf = (events: typeof failed) => loadInputs(readerOf(projectAll(events)), "2026-11-01", "2026-11-30");
    expect((await inputsOf(failed)).failedNotices).toEqual([
      {
        noticeId: "ntc-1",
        partner: { ja: "パリ市", en: "Paris" },
        subject: "visit-confirmed: visit v-1",
        failedAt: "2026-11-18T01:02:11.000Z",
        reason: "MessageRejected (3)",
      },
    ]);
    expect((await inputsOf(builder.events)).failedNotices).toEqual([]);
    expect((await inputsOf([...builder.events].reverse())).failedNotices).toEqual([]);
  });
});
