import { TripPlanSet } from "@cdp/contracts";
import { describe, expect, it } from "vitest";
import { setPlanSettings } from "./decide-plan.ts";

const NOW = new Date("2026-11-28T01:00:00Z");

describe("setting a fiscal year's plan", () => {
  it("writes the first settings as new, at version 1", () => {
    const outcome = setPlanSettings(undefined, 2027, { tripCap: 3, travelBudgetYen: 42_000_000 }, NOW);
    expect(outcome).toEqual({
      ok: true,
      decision: {
        state: { fiscalYear: 2027, tripCap: 3, travelBudgetYen: 42_000_000, version: 1, updatedAt: NOW.toISOString() },
        expectedVersion: null,
        events: [
          expect.objectContaining({
            contract: TripPlanSet,
            detail: { fiscalYear: 2027, tripCap: 3, travelBudgetYen: 42_000_000, version: 1 },
          }),
        ],
        audit: { entity: "plan#2027", action: "plan.set", beforeVersion: null, afterVersion: 1 },
      },
    });
  });

  it("replaces settings on the version read", () => {
    const current = { fiscalYear: 2027, tripCap: 3, travelBudgetYen: 1, version: 4, updatedAt: "2026-01-01T00:00:00Z" };
    const outcome = setPlanSettings(current, 2027, { tripCap: 2, travelBudgetYen: 30_000_000 }, NOW);
    expect(outcome.ok && outcome.decision).toMatchObject({
      state: { tripCap: 2, travelBudgetYen: 30_000_000, version: 5 },
      expectedVersion: 4,
      audit: { beforeVersion: 4, afterVersion: 5 },
    });
  });
});
