import type { EventContract } from "@cdp/contracts";
import { ReportRequested } from "@cdp/contracts";
import type { Decided } from "@cdp/lambda-kit";
import type { Report } from "@cdp/reports/api";
import { reportRequested, manifest as reports } from "@cdp/reports/manifest";
import { describe, expect, it } from "vitest";
import * as z from "zod/v4/core";
import { reportsRouteSamples, reportsSubscriptionSamples } from "./reports-samples.ts";
import { subscriptionKey, subscriptionSampleKeys } from "./sample-keys.ts";
import type { SampleContext } from "./samples.ts";

/** A context whose store is one ReportStore stand-in keeping the reports it is asked to write. */
function aContext() {
  let counter = 0;
  const written = new Map<string, Report>();
  const context: SampleContext = {
    readItem: async () => undefined,
    store: <Store>() =>
      ({
        change: async (reportId: string, decide: (current: Report | undefined) => Decided<Report>) => {
          const outcome = decide(written.get(reportId));
          if (!outcome.ok) throw new Error(JSON.stringify(outcome.refusal));
          written.set(reportId, outcome.decision.state);
          return outcome.decision.state;
        },
      }) as Store,
    serial: () => counter++,
    unique: () => `u${counter++}`,
    today: () => "2026-12-02",
  };
  return { context, written };
}

const parse = (contract: EventContract<string, string, z.$ZodType>, detail: unknown) =>
  z.safeParse(contract.detail, detail);

describe("the reports' samples", () => {
  const projections = reports.subscriptions.filter((s) => s.name !== reportRequested.name);

  it("give every event the projections consume a valid detail of its contract", async () => {
    const { context } = aContext();
    const checked: string[] = [];
    for (const subscription of projections) {
      for (const [index, key] of subscriptionSampleKeys(reports, subscription).entries()) {
        const contract = subscription.contracts[index] as EventContract<string, string, z.$ZodType>;
        const sample = reportsSubscriptionSamples[key];
        expect(sample, key).toBeDefined();
        const result = parse(contract, await sample?.(context));
        expect(result.success ? "valid" : JSON.stringify(result.error.issues), key).toBe("valid");
        checked.push(contract.detailType);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(24);
    // The check itself checks: an empty detail is no valid event.
    expect(parse(ReportRequested, {}).success).toBe(false);
  });

  it("make a new entity and a new event every time, so each invocation writes", async () => {
    const { context } = aContext();
    const key = (detailType: string) =>
      projections
        .flatMap((s) => subscriptionSampleKeys(reports, s).map((k, i) => [k, s.contracts[i]?.detailType] as const))
        .find(([, type]) => type === detailType)?.[0] ?? "";
    const twice = async (detailType: string) => {
      const sample = reportsSubscriptionSamples[key(detailType)];
      return [await sample?.(context), await sample?.(context)] as Record<string, unknown>[];
    };
    const [first, second] = await twice("VisitApproved.v1");
    expect(first?.visitId).not.toBe(second?.visitId);
    const eventId = (detail: Record<string, unknown> | undefined) =>
      (detail?.metadata as { eventId?: string })?.eventId;
    expect(eventId(first)).not.toBe(eventId(second));
    const [plan, newerPlan] = await twice("TripPlanSet.v1");
    expect(Number(newerPlan?.version)).toBeGreaterThan(Number(plan?.version));
    const [run, laterRun] = await twice("LedgerReconciled.v1");
    expect(String(laterRun?.checkedAt) > String(run?.checkedAt)).toBe(true);
    expect(String(run?.checkedAt) > "2027-03-31").toBe(true);
  });

  it("ask the report function for the monthly report of a report queued just before", async () => {
    const { context, written } = aContext();
    const detail = await reportsSubscriptionSamples[subscriptionKey(reports, reportRequested.name)]?.(context);
    expect(parse(ReportRequested, detail).success).toBe(true);
    const { reportId } = detail as { reportId: string };
    expect(written.get(reportId)).toMatchObject({
      status: "queued",
      from: "2026-11-01",
      to: "2026-11-30",
      trigger: "schedule",
    });
  });

  it("point the read routes at one done report, made once", async () => {
    const { context, written } = aContext();
    const get = await reportsRouteSamples.getReport?.(context);
    const download = await reportsRouteSamples.downloadReport?.(context);
    expect(download?.params).toEqual({ id: get?.params?.id, format: "pdf" });
    expect(written.get(get?.params?.id ?? "")).toMatchObject({ status: "done" });
  });
});
