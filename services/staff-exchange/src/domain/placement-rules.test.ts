import type { Refusal } from "@cdp/lambda-kit/decision";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aProgramme, NORM_ESTIMATE, NORM_ESTIMATE_TOTAL, placementIn, TERM } from "./builders.ts";
import type { Placement, PlacementHold, PlacementStatus } from "./model.ts";
import {
  allocatePosting,
  costsOf,
  countsAgainstQuota,
  estimateFromNorms,
  heldYen,
  holdExpiryOf,
  holdReferenceOf,
  overlapRefusal,
  pendingHolds,
  placedHolds,
  placementIdOfReference,
  quotaOf,
  quotaRefusal,
  quotaViewOf,
  quotaYearOf,
  RULES,
  STEPS,
  stepRefusal,
  termDays,
  termErrors,
} from "./placement-rules.ts";

const ALL_STATUSES: PlacementStatus[] = [
  "applied",
  "approved",
  "funded",
  "active",
  "completed",
  "cancelled",
  "funding-rejected",
];

const hold = (overrides: Partial<PlacementHold> = {}): PlacementHold => ({
  reference: "placement:pl-1",
  purpose: "estimate",
  amountYen: 1_000_000,
  status: "placed",
  holdId: "00000000-0000-4000-8000-000000000001",
  postYen: null,
  requestedAt: "2026-12-01T01:00:00.000Z",
  ...overrides,
});

/** A placement with the given status and holds, everything else as the default journey made it. */
const withHolds = (holds: PlacementHold[], status: PlacementStatus = "active"): Placement => ({
  ...placementIn("applied").placement,
  status,
  holds,
});

/** The rule a refusal names, failing when it is another kind. */
function ruleOf(refusal: Refusal | undefined) {
  if (refusal?.kind !== "rule-broken") throw new Error(`expected a broken rule, got ${JSON.stringify(refusal)}`);
  return refusal;
}

describe("the term", () => {
  it("counts both its days: April 1 to April 30 is 30 days, a single day is 1", () => {
    expect(termDays("2027-04-01", "2027-04-30")).toBe(30);
    expect(termDays("2027-04-01", "2027-04-01")).toBe(1);
    expect(termDays(TERM.startDate, TERM.endDate)).toBe(TERM.days);
  });

  it("counts February 29 of a leap year, and crosses years", () => {
    expect(termDays("2028-02-28", "2028-03-01")).toBe(3);
    expect(termDays("2027-02-28", "2027-03-01")).toBe(2);
    expect(termDays("2026-12-31", "2027-01-01")).toBe(2);
  });

  it("counts against the quota of the fiscal year of its start, which begins on April 1", () => {
    expect(quotaYearOf("2027-03-31")).toBe(2026);
    expect(quotaYearOf("2027-04-01")).toBe(2027);
    expect(quotaYearOf("2027-01-15")).toBe(2026);
    expect(quotaYearOf("2027-12-31")).toBe(2027);
  });

  describe("errors against the programme", () => {
    const programme = aProgramme({ minDays: 10, maxDays: 183 });
    const someCost = costsOf({ ...NORM_ESTIMATE });
    const errorsOf = (startDate: string, endDate: string, estimate = someCost) =>
      termErrors({ startDate, endDate }, programme, estimate, "body.estimate");

    it("accepts a term of exactly the minimum and of exactly the maximum days", () => {
      expect(errorsOf("2027-04-01", "2027-04-10")).toEqual([]);
      expect(errorsOf("2027-04-01", "2027-09-30")).toEqual([]);
    });

    it("names body.endDate for a term a day too short or a day too long, with the bounds", () => {
      expect(errorsOf("2027-04-01", "2027-04-09")).toEqual([
        { path: "body.endDate", message: "the term is 9 days; programme seoul allows 10 to 183" },
      ]);
      expect(errorsOf("2027-04-01", "2027-10-01")).toEqual([
        { path: "body.endDate", message: "the term is 184 days; programme seoul allows 10 to 183" },
      ]);
    });

    it("names body.endDate, once, for an end before the start", () => {
      expect(errorsOf("2027-04-10", "2027-04-09")).toEqual([
        { path: "body.endDate", message: "must not be before startDate" },
      ]);
    });

    it("refuses an estimate of 0 yen at the path given, and every error at once", () => {
      const free = costsOf({ allowanceYen: 0, housingYen: 0, travelYen: 0, insuranceYen: 0, otherYen: 0 });
      expect(errorsOf("2027-04-01", "2027-04-02", free)).toEqual([
        { path: "body.endDate", message: "the term is 2 days; programme seoul allows 10 to 183" },
        { path: "body.estimate", message: "a placement the fund pays for costs at least 1 yen" },
      ]);
      const oneYen = costsOf({ allowanceYen: 0, housingYen: 0, travelYen: 0, insuranceYen: 0, otherYen: 1 });
      expect(errorsOf("2027-04-01", "2027-04-30", oneYen)).toEqual([]);
    });

    it("refuses an estimate whose total is beyond exact whole yen", () => {
      const huge = costsOf({ ...NORM_ESTIMATE, allowanceYen: Number.MAX_SAFE_INTEGER, housingYen: 10 });
      expect(errorsOf("2027-04-01", "2027-04-30", huge)).toEqual([
        { path: "body.estimate", message: "the total is too large to hold" },
      ]);
    });
  });
});

describe("the estimate from the programme's norms", () => {
  const norms = aProgramme().costNorms;

  it("pays the monthly amounts pro rata by the day over 30-day months, and one round trip", () => {
    expect(estimateFromNorms(norms, 183)).toEqual(NORM_ESTIMATE);
    expect(costsOf(estimateFromNorms(norms, 183)).totalYen).toBe(NORM_ESTIMATE_TOTAL);
    expect(estimateFromNorms(norms, 30)).toEqual({
      allowanceYen: 300_000,
      housingYen: 150_000,
      travelYen: 200_000,
      insuranceYen: 15_000,
      otherYen: 0,
    });
    expect(estimateFromNorms(norms, 10)).toEqual({
      allowanceYen: 100_000,
      housingYen: 50_000,
      travelYen: 200_000,
      insuranceYen: 5_000,
      otherYen: 0,
    });
  });

  it("rounds each monthly amount up to the yen", () => {
    const odd = { monthlyAllowanceYen: 100, monthlyHousingYen: 31, monthlyInsuranceYen: 1, travelYen: 0 };
    // 100 × 7 / 30 = 23.33…, 31 × 7 / 30 = 7.23…, 1 × 7 / 30 = 0.23…
    expect(estimateFromNorms(odd, 7)).toEqual({
      allowanceYen: 24,
      housingYen: 8,
      travelYen: 0,
      insuranceYen: 1,
      otherYen: 0,
    });
  });

  it("charges the round trip once whatever the length, and never less for a longer term", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 399 }), (days) => {
        const shorter = estimateFromNorms(norms, days);
        const longer = estimateFromNorms(norms, days + 1);
        expect(shorter.travelYen).toBe(norms.travelYen);
        expect(longer.travelYen).toBe(norms.travelYen);
        expect(costsOf(longer).totalYen).toBeGreaterThanOrEqual(costsOf(shorter).totalYen);
        // never more than a yen above the exact pro-rata amount, per monthly line
        expect(shorter.allowanceYen - (norms.monthlyAllowanceYen * days) / 30).toBeLessThan(1);
      }),
    );
  });

  it("totals every line of a breakdown", () => {
    expect(
      costsOf({ allowanceYen: 1, housingYen: 20, travelYen: 300, insuranceYen: 4_000, otherYen: 50_000 }).totalYen,
    ).toBe(54_321);
  });
});

describe("overlapping terms of one person", () => {
  const other = { placementId: "pl-9", startDate: "2027-04-01", endDate: "2027-09-30" };

  it.each([
    ["starts inside the other", "2027-09-30", "2028-01-31"],
    ["ends inside the other", "2027-01-01", "2027-04-01"],
    ["contains the other", "2027-01-01", "2027-12-31"],
    ["lies inside the other", "2027-05-01", "2027-05-10"],
    ["is the same term", "2027-04-01", "2027-09-30"],
  ])("refuse a term that %s, naming the other placement and its term", (_case, startDate, endDate) => {
    const refusal = ruleOf(overlapRefusal("pl-1", { startDate, endDate }, [other]));
    expect(refusal.rule).toBe(RULES.personOverlap);
    expect(refusal.rule).toBe("person-overlap");
    expect(refusal.detail).toContain("pl-9");
    expect(refusal.facts).toEqual({ placementId: "pl-9", startDate: "2027-04-01", endDate: "2027-09-30" });
  });

  it("allow a term that ends the day before the other starts, or starts the day after it ends", () => {
    expect(overlapRefusal("pl-1", { startDate: "2026-10-01", endDate: "2027-03-31" }, [other])).toBeUndefined();
    expect(overlapRefusal("pl-1", { startDate: "2027-10-01", endDate: "2028-03-31" }, [other])).toBeUndefined();
  });

  it("ignore the placement's own term (an edit moves it)", () => {
    expect(overlapRefusal("pl-9", { startDate: "2027-05-01", endDate: "2027-10-31" }, [other])).toBeUndefined();
  });

  it("name the first of several that clash", () => {
    const later = { placementId: "pl-10", startDate: "2027-10-01", endDate: "2027-12-31" };
    const refusal = ruleOf(overlapRefusal("pl-1", { startDate: "2027-09-01", endDate: "2027-11-30" }, [later, other]));
    expect(refusal.facts).toMatchObject({ placementId: "pl-10" });
  });

  it("clash exactly when the two terms share a day", () => {
    const date = fc
      .integer({ min: 0, max: 800 })
      .map((offset) => new Date(Date.UTC(2027, 0, 1 + offset)).toISOString().slice(0, 10));
    const term = fc
      .tuple(date, date)
      .map(([a, b]) => (a <= b ? { startDate: a, endDate: b } : { startDate: b, endDate: a }));
    fc.assert(
      fc.property(term, term, (mine, theirs) => {
        const shareADay = !(mine.endDate < theirs.startDate || theirs.endDate < mine.startDate);
        const refusal = overlapRefusal("pl-1", mine, [{ placementId: "pl-2", ...theirs }]);
        expect(refusal !== undefined).toBe(shareADay);
      }),
    );
  });
});

describe("the quota", () => {
  const programme = aProgramme({
    placementsPerYear: { outbound: 2, inbound: 1 },
    totalDaysPerYear: { outbound: 300, inbound: 200 },
  });
  const placement = placementIn("applied").placement; // outbound, 183 days, FY2027

  it("is read per direction", () => {
    expect(quotaOf(programme, "outbound")).toEqual({ placements: 2, days: 300 });
    expect(quotaOf(programme, "inbound")).toEqual({ placements: 1, days: 200 });
  });

  it("admits a placement that fits it exactly", () => {
    expect(quotaRefusal(programme, placement, { placements: 1, days: 117 })).toBeUndefined();
    expect(quotaRefusal(programme, placement, { placements: 0, days: 0 })).toBeUndefined();
  });

  it("refuses the placement one too many, naming the quota, the year, the direction and what is used", () => {
    const refusal = ruleOf(quotaRefusal(programme, placement, { placements: 2, days: 0 }));
    expect(refusal.rule).toBe("quota");
    expect(refusal.facts).toEqual({
      fiscalYear: 2027,
      direction: "outbound",
      quota: { placements: 2, days: 300 },
      used: { placements: 2, days: 0 },
      which: "placements",
    });
    expect(refusal.detail).toContain("FY2027 outbound quota of programme seoul");
  });

  it("refuses a placement whose days would exceed the days of the year, a day over", () => {
    const refusal = ruleOf(quotaRefusal(programme, placement, { placements: 1, days: 118 }));
    expect(refusal.facts).toMatchObject({ which: "days", used: { placements: 1, days: 118 } });
    expect(refusal.detail).toContain("183-day placement would exceed its days");
  });

  it("with a quota of 0 that way, refuses every placement", () => {
    const none = aProgramme({ placementsPerYear: { outbound: 0, inbound: 1 } });
    expect(ruleOf(quotaRefusal(none, placement, { placements: 0, days: 0 })).facts).toMatchObject({
      which: "placements",
    });
  });

  it("shows what is used and left each way, never below zero left", () => {
    const view = quotaViewOf(programme, 2027, {
      outbound: { placements: 1, days: 183 },
      inbound: { placements: 2, days: 250 },
    });
    expect(view).toEqual({
      programmeId: "seoul",
      fiscalYear: 2027,
      outbound: {
        used: { placements: 1, days: 183 },
        left: { placements: 1, days: 117 },
        quota: { placements: 2, days: 300 },
      },
      inbound: {
        used: { placements: 2, days: 250 },
        left: { placements: 0, days: 0 },
        quota: { placements: 1, days: 200 },
      },
    });
  });

  it("is taken from approval on and kept when completed; applied and cancelled placements take none", () => {
    const counted = ALL_STATUSES.filter(countsAgainstQuota);
    expect(counted.sort()).toEqual(["active", "approved", "completed", "funded", "funding-rejected"]);
  });
});

describe("the steps of the life cycle", () => {
  const allowed: Record<keyof typeof STEPS, PlacementStatus[]> = {
    edit: ["applied"],
    approve: ["applied"],
    "request funding": ["funding-rejected"],
    "top up": ["funded", "active"],
    start: ["funded"],
    complete: ["active"],
    cancel: ["applied", "approved", "funding-rejected", "funded", "active"],
  };
  const cases = Object.entries(allowed).flatMap(([step, from]) =>
    ALL_STATUSES.map((status) => [step, status, from.includes(status), from] as const),
  );

  it.each(cases)("%s from %s: allowed %s", (step, status, isAllowed, from) => {
    const refusal = stepRefusal(withHolds([], status), step);
    if (isAllowed) {
      expect(refusal).toBeUndefined();
      return;
    }
    expect(refusal).toMatchObject({ kind: "conflict", currentState: status });
    expect(refusal?.kind === "conflict" && refusal.detail).toBe(
      `Placement pl-1 is ${status}: it cannot ${step} (allowed from ${from.join(", ")})`,
    );
  });

  it("let nothing follow completed or cancelled", () => {
    for (const step of Object.keys(STEPS)) {
      expect(stepRefusal(withHolds([], "completed"), step)).toMatchObject({ currentState: "completed" });
      expect(stepRefusal(withHolds([], "cancelled"), step)).toMatchObject({ currentState: "cancelled" });
    }
  });
});

describe("holds", () => {
  it("are asked for under placement:<id>, then :2, :3 …, and top-ups under :top-up:<n>", () => {
    expect(holdReferenceOf("pl-1", "estimate", 1)).toBe("placement:pl-1");
    expect(holdReferenceOf("pl-1", "estimate", 2)).toBe("placement:pl-1:2");
    expect(holdReferenceOf("pl-1", "top-up", 1)).toBe("placement:pl-1:top-up:1");
    expect(holdReferenceOf("pl-1", "top-up", 3)).toBe("placement:pl-1:top-up:3");
  });

  it("name their placement in their reference, and nothing else is a placement's", () => {
    const id = fc.stringMatching(/^[A-Za-z0-9-]{1,36}$/);
    fc.assert(
      fc.property(
        id,
        fc.constantFrom("estimate" as const, "top-up" as const),
        fc.integer({ min: 1, max: 99 }),
        (placementId, purpose, n) => {
          expect(placementIdOfReference(holdReferenceOf(placementId, purpose, n))).toBe(placementId);
        },
      ),
    );
    expect(placementIdOfReference("visit:v-1")).toBeUndefined();
    expect(placementIdOfReference("placement:")).toBeUndefined();
    expect(placementIdOfReference("xplacement:pl-1")).toBeUndefined();
  });

  it("expire with the term's end plus the programme's settlement days", () => {
    const { placement } = placementIn("applied");
    expect(holdExpiryOf(placement, aProgramme({ settlementDays: 60 }))).toBe("2027-11-29");
    expect(holdExpiryOf(placement, aProgramme({ settlementDays: 0 }))).toBe("2027-09-30");
    expect(holdExpiryOf({ ...placement, endDate: "2028-12-15" }, aProgramme({ settlementDays: 30 }))).toBe(
      "2029-01-14",
    );
  });

  it("count as held only once the ledger placed them, and as pending while asked for", () => {
    const placement = withHolds([
      hold({ reference: "placement:pl-1", status: "rejected", amountYen: 9_000_000 }),
      hold({ reference: "placement:pl-1:2", amountYen: 2_000_000 }),
      hold({ reference: "placement:pl-1:top-up:1", purpose: "top-up", status: "requested", amountYen: 300_000 }),
      hold({ reference: "placement:pl-1:top-up:2", purpose: "top-up", amountYen: 100_000 }),
    ]);
    expect(placedHolds(placement).map((h) => h.reference)).toEqual(["placement:pl-1:2", "placement:pl-1:top-up:2"]);
    expect(pendingHolds(placement).map((h) => h.reference)).toEqual(["placement:pl-1:top-up:1"]);
    expect(heldYen(placement)).toBe(2_100_000);
    expect(heldYen(withHolds([]))).toBe(0);
  });
});

describe("posting over the holds", () => {
  const holds = [hold({ amountYen: 3_000_000 }), hold({ amountYen: 500_000 }), hold({ amountYen: 200_000 })];

  it("fills the holds in order, posting 0 of those not needed", () => {
    expect(allocatePosting(holds, 2_000_000)).toEqual([2_000_000, 0, 0]);
    expect(allocatePosting(holds, 3_000_000)).toEqual([3_000_000, 0, 0]);
    expect(allocatePosting(holds, 3_100_000)).toEqual([3_000_000, 100_000, 0]);
    expect(allocatePosting(holds, 3_700_000)).toEqual([3_000_000, 500_000, 200_000]);
    expect(allocatePosting(holds, 0)).toEqual([0, 0, 0]);
    expect(allocatePosting([], 0)).toEqual([]);
  });

  it("always sums to the amount within what is held, never exceeds a hold and fills earlier holds first", () => {
    const amounts = fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(
        amounts.chain((sizes) => {
          const total = sizes.reduce((a, b) => a + b, 0);
          return fc.tuple(fc.constant(sizes), fc.integer({ min: 0, max: total }));
        }),
        ([sizes, amountYen]) => {
          const posted = allocatePosting(
            sizes.map((amount) => hold({ amountYen: amount })),
            amountYen,
          );
          expect(posted).toHaveLength(sizes.length);
          expect(posted.reduce((a, b) => a + b, 0)).toBe(amountYen);
          posted.forEach((yen, i) => {
            expect(yen).toBeGreaterThanOrEqual(0);
            expect(yen).toBeLessThanOrEqual(sizes[i] ?? 0);
            // a later hold is drawn on only when every earlier one is used up
            if (yen > 0) expect(posted.slice(0, i)).toEqual(sizes.slice(0, i));
          });
        },
      ),
    );
  });
});
