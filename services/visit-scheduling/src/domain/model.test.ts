import { describe, expect, it } from "vitest";
import { VisitInput, VisitPatch } from "./model.ts";

describe("visit schemas", () => {
  it("give a new visit empty itinerary, members and costs, but add nothing to an edit", () => {
    expect(VisitPatch.parse({ priority: 1 })).toEqual({ priority: 1 });
    const visit = VisitInput.parse({
      direction: "inbound",
      partnerIds: ["seoul"],
      delegationHead: { name: { ja: "市長", en: "Mayor" }, title: { ja: "市長", en: "Mayor" }, level: "head" },
      purpose: "relationship-building",
      purposeStatement: { ja: "関係強化", en: "Closer ties" },
      priority: 2,
      startDate: "2027-05-01",
      endDate: "2027-05-02",
    });
    expect(visit).toMatchObject({ itinerary: [], members: [], costEstimate: { breakdown: [], quotes: [] } });
  });

  it("check an edit's own dates and refuse an empty one", () => {
    expect(VisitPatch.safeParse({ startDate: "2027-05-03", endDate: "2027-05-01" }).success).toBe(false);
    expect(VisitPatch.safeParse({}).success).toBe(false);
  });
});
