import { describe, expect, it } from "vitest";
import { addMonths, tokyoDate } from "./dates.ts";
import { isDormant, lastExchangeOn } from "./dormancy.ts";
import type { RecordedVisit } from "./model.ts";
import { priorityScore } from "./priority.ts";
import { establishment, reciprocalVisitsCompleteOn } from "./relation.ts";
import { targetsProgress } from "./targets.ts";

const visit = (
  visitId: string,
  direction: RecordedVisit["direction"],
  endDate: string,
  leaderLevel: RecordedVisit["leaderLevel"] = "head",
): RecordedVisit => ({ visitId, direction, leaderLevel, startDate: endDate, endDate });

describe("when a relation becomes concrete", () => {
  it("is the signing day of the first sister-friendship, policy-cooperation or joint-statement agreement", () => {
    expect(
      establishment(
        [
          { type: "other", signedOn: "2001-01-01" },
          { type: "joint-statement", signedOn: "2015-02-03" },
          { type: "policy-cooperation", signedOn: "2014-07-23" },
        ],
        [],
      ),
    ).toEqual({ on: "2014-07-23", basis: "agreement" });
  });

  it("is never reached by an 'other' agreement alone", () => {
    expect(establishment([{ type: "other", signedOn: "2001-01-01" }], [])).toBeNull();
  });

  it("needs a completed head-level visit each way; the later end date of the first of each counts", () => {
    const visits = [
      visit("out-2", "outbound", "2019-05-01"),
      visit("out-1", "outbound", "2018-03-10"),
      visit("in-deputy", "inbound", "2017-01-01", "deputy"),
      visit("in-1", "inbound", "2018-11-20"),
    ];
    expect(reciprocalVisitsCompleteOn(visits)).toBe("2018-11-20");
    expect(establishment([], visits)).toEqual({ on: "2018-11-20", basis: "reciprocal-visits" });
  });

  it("is not reached by head visits in one direction only, nor by deputies", () => {
    expect(
      reciprocalVisitsCompleteOn([visit("a", "outbound", "2018-01-01"), visit("b", "outbound", "2019-01-01")]),
    ).toBeNull();
    expect(
      reciprocalVisitsCompleteOn([
        visit("a", "outbound", "2018-01-01"),
        visit("b", "inbound", "2019-01-01", "official"),
      ]),
    ).toBeNull();
  });

  it("takes the earlier of agreement and visits, naming the agreement on a tie", () => {
    const visits = [visit("o", "outbound", "2016-01-01"), visit("i", "inbound", "2016-06-30")];
    expect(establishment([{ type: "policy-cooperation", signedOn: "2017-01-01" }], visits)?.basis).toBe(
      "reciprocal-visits",
    );
    expect(establishment([{ type: "policy-cooperation", signedOn: "2016-06-30" }], visits)).toEqual({
      on: "2016-06-30",
      basis: "agreement",
    });
  });
});

describe("dormancy", () => {
  it("counts agreements, visits and projects under way as exchanges, never future ones", () => {
    const today = "2026-11-28";
    expect(
      lastExchangeOn(
        {
          agreements: [{ signedOn: "2020-01-01" }, { signedOn: "2027-01-01" }],
          visits: [{ endDate: "2023-05-05" }],
          projects: [{ startDate: "2022-01-01", endDate: "2024-03-31", status: "completed" }],
        },
        today,
      ),
    ).toBe("2024-03-31");
    expect(
      lastExchangeOn(
        { agreements: [], visits: [], projects: [{ startDate: "2022-01-01", endDate: null, status: "active" }] },
        today,
      ),
    ).toBe(today);
    expect(
      lastExchangeOn(
        { agreements: [], visits: [], projects: [{ startDate: "2022-01-01", endDate: null, status: "cancelled" }] },
        today,
      ),
    ).toBeNull();
  });

  it("marks an established relation dormant after 24 months without exchange, not on the cut-off day", () => {
    expect(isDormant("established", "2024-11-28", "2026-11-28")).toBe(false);
    expect(isDormant("established", "2024-11-27", "2026-11-28")).toBe(true);
    expect(isDormant("established", null, "2026-11-28")).toBe(true);
    expect(isDormant("prospect", null, "2026-11-28")).toBe(false);
    expect(isDormant("suspended", "1990-01-01", "2026-11-28")).toBe(false);
  });
});

describe("dates", () => {
  it("adds months clamping to the month's end and reads the Tokyo calendar day", () => {
    expect(addMonths("2026-11-28", -24)).toBe("2024-11-28");
    expect(addMonths("2024-02-29", -12)).toBe("2023-02-28");
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2026-12-15", 1)).toBe("2027-01-15");
    expect(tokyoDate(new Date("2026-11-28T15:00:00Z"))).toBe("2026-11-29");
    expect(tokyoDate(new Date("2026-11-28T14:59:59Z"))).toBe("2026-11-28");
  });
});

describe("priority score", () => {
  it("adds the documented category and area points", () => {
    expect(
      priorityScore({ categories: [{ type: "asian-major-city" }], cooperationAreas: ["waterworks", "culture"] }, 2026),
    ).toBe(25 + 10 + 5);
    expect(
      priorityScore(
        {
          categories: [{ type: "global-ranking", ranking: "Global Power City Index", year: 2025, rank: 3 }],
          cooperationAreas: [],
        },
        2026,
      ),
    ).toBe(25);
    expect(
      priorityScore(
        {
          categories: [{ type: "global-ranking", ranking: "Global Power City Index", year: 2025, rank: 30 }],
          cooperationAreas: [],
        },
        2026,
      ),
    ).toBe(15);
  });

  it("rewards hosts of Games still to come and ignores a withdrawn ANMC21 membership", () => {
    const host = (year: number) => ({
      categories: [{ type: "olympic-host" as const, games: [{ season: "summer" as const, year }] }],
      cooperationAreas: [],
    });
    expect(priorityScore(host(2032), 2026)).toBe(40);
    expect(priorityScore(host(2016), 2026)).toBe(30);
    expect(
      priorityScore(
        { categories: [{ type: "anmc21-member", joined: "2000-08-28", withdrew: "2005-08-30" }], cooperationAreas: [] },
        2026,
      ),
    ).toBe(0);
  });
});

describe("targets progress", () => {
  const relations = Array.from({ length: 31 }, (_, i) => ({
    partnerId: `p-${String(i).padStart(2, "0")}`,
    on: i < 15 ? "2017-06-01" : i < 30 ? "2021-07-23" : "2021-07-24",
  }));

  it("meets 15 by 2017 and 30 by the Games' opening day, counting relations made that very day", () => {
    const progress = targetsProgress(relations, "2026-01-01");
    expect(progress.count).toBe(31);
    expect(progress.milestones.map((m) => [m.target, m.count, m.met, m.final])).toEqual([
      [15, 15, true, true],
      [30, 30, true, true],
    ]);
  });

  it("counts only what was concrete on the asked day and says a milestone is not final yet", () => {
    const progress = targetsProgress(relations, "2017-12-31");
    expect(progress.count).toBe(15);
    expect(progress.partners).toHaveLength(15);
    expect(progress.milestones[1]).toMatchObject({ count: 15, met: false, final: false });
  });
});
