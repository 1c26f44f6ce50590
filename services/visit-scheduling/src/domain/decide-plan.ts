import { TripPlanSet } from "@cdp/contracts";
import { type Decided, decided, event } from "@cdp/lambda-kit/decision";
import type { PlanSettingsInput } from "./model.ts";

/** A fiscal year's settings as stored: the caps, and a version so two writers never overwrite blindly. */
export interface PlanSettingsState extends PlanSettingsInput {
  readonly fiscalYear: number;
  /** 0 for settings stored before they had a version. */
  readonly version: number;
  readonly updatedAt: string;
}

/**
 * Sets a fiscal year's trip cap and travel budget. A PUT: the new settings replace whatever is there,
 * but on the version read, so a concurrent write is read again rather than lost from the audit trail.
 */
export function setPlanSettings(
  current: PlanSettingsState | undefined,
  fiscalYear: number,
  settings: PlanSettingsInput,
  now: Date,
): Decided<PlanSettingsState> {
  const version = (current?.version ?? 0) + 1;
  return decided({
    state: {
      fiscalYear,
      tripCap: settings.tripCap,
      travelBudgetYen: settings.travelBudgetYen,
      version,
      updatedAt: now.toISOString(),
    },
    expectedVersion: current ? current.version : null,
    events: [
      event(TripPlanSet, {
        fiscalYear,
        tripCap: settings.tripCap,
        travelBudgetYen: settings.travelBudgetYen,
        version,
      }),
    ],
    audit: {
      entity: `plan#${fiscalYear}`,
      action: "plan.set",
      beforeVersion: current ? current.version : null,
      afterVersion: version,
    },
  });
}
