import { approveVisit, proposeVisit } from "@cdp/visit-scheduling/domain/decide-visit";
import { type Visit, VisitInput } from "@cdp/visit-scheduling/domain/model";
import { describe, expect, it } from "vitest";
import {
  LISTED_VISITS,
  PARTNER_CATEGORY,
  PROPOSED_VISITS_FIRST_DAY,
  seededPartnersOf,
  visitBody,
} from "./load-scenarios.ts";

const partners = seededPartnersOf(PARTNER_CATEGORY);

/** Proposes and approves each visit in turn, as the API would, each approval seeing every visit approved before. */
function approveAll(bodies: readonly unknown[]): { approved: Visit[]; refusals: string[] } {
  const approved: Visit[] = [];
  const refusals: string[] = [];
  let id = 0;
  const stamp = {
    now: new Date("2026-06-15T00:00:00Z"),
    newId: () => `00000000-0000-4000-8000-${String(id++).padStart(12, "0")}`,
  };
  for (const body of bodies) {
    const input = VisitInput.parse(body);
    const proposed = proposeVisit(input, stamp);
    if (!proposed.ok) throw new Error("a proposal is never refused");
    const decided = approveVisit(
      proposed.decision.state,
      { action: "approve", visitId: proposed.decision.state.id },
      approved,
      stamp.now,
    );
    if (decided.ok) approved.push(decided.decision.state);
    else refusals.push(JSON.stringify(decided.refusal));
  }
  return { approved, refusals };
}

describe("the load scenarios' data", () => {
  it("lists a seeded category with partners in it", () => {
    expect(partners.length).toBeGreaterThanOrEqual(10);
    expect(partners).toContain("new-york");
  });

  it("makes visits the API accepts, every one approved, a quarter taking the governor's day", () => {
    const bodies = Array.from({ length: 400 }, (_, i) => visitBody(i, PROPOSED_VISITS_FIRST_DAY, partners));
    const { approved, refusals } = approveAll(bodies);
    expect(refusals).toEqual([]);
    expect(approved).toHaveLength(400);
    expect(approved.filter((visit) => visit.governorEngagement)).toHaveLength(100);
    expect(new Set(approved.map((visit) => visit.startDate)).size).toBe(400);
  });

  it("gives every outbound visit quotes from two vendors", () => {
    const outbound = Array.from({ length: 8 }, (_, i) => visitBody(i, "2040-01-01", partners)).filter(
      (body) => body.direction === "outbound",
    );
    expect(outbound).toHaveLength(4);
    for (const body of outbound) expect(new Set(body.costEstimate.quotes.map((q) => q.vendor)).size).toBe(2);
  });

  it("lists visits in a period the write scenario never reaches", () => {
    const last = visitBody(LISTED_VISITS.count - 1, LISTED_VISITS.firstDay, partners).endDate;
    expect(last < PROPOSED_VISITS_FIRST_DAY).toBe(true);
    expect(visitBody(0, LISTED_VISITS.firstDay, partners).startDate).toBe(LISTED_VISITS.from);
  });
});
