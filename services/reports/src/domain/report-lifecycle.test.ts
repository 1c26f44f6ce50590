import { ReportRequested } from "@cdp/contracts";
import { describe, expect, it } from "vitest";
import type { Report } from "../api.ts";
import { completeReport, failReport, fileOf, progressReport, requestReport } from "./report-lifecycle.ts";

const NOW = new Date("2026-12-01T00:00:00Z");
const command = {
  reportId: "r-1",
  kind: "progress" as const,
  from: "2026-11-01",
  to: "2026-11-30",
  trigger: "on-demand" as const,
  requestedBy: "user-1",
};

function stateOf(outcome: ReturnType<typeof requestReport>): Report {
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.refusal)}`);
  return outcome.decision.state;
}

const queued = stateOf(requestReport(undefined, command, NOW));
const pdf = { format: "pdf" as const, key: "reports/r-1/report.pdf", contentType: "application/pdf", bytes: 1234 };

describe("a report's life", () => {
  it("is queued with its request event, once: a second request under the same id is refused", () => {
    const outcome = requestReport(undefined, command, NOW);
    expect(outcome.ok && outcome.decision.events).toEqual([{ contract: ReportRequested, detail: command }]);
    expect(queued).toMatchObject({ status: "queued", progress: { percent: 0 }, label: { en: "November 2026" } });
    expect(requestReport(queued, command, NOW)).toEqual({
      ok: false,
      refusal: expect.objectContaining({ kind: "conflict", currentState: "queued" }),
    });
  });

  it("runs with its progress, ends done with its files, and is never changed once done", () => {
    const running = stateOf(progressReport(queued, "r-1", 35, "pdf"));
    expect(running).toMatchObject({ status: "running", progress: { percent: 35, step: "pdf" }, version: 2 });
    const done = stateOf(completeReport(running, "r-1", [pdf], null, NOW));
    expect(done).toMatchObject({
      status: "done",
      progress: { percent: 100 },
      files: [pdf],
      completedAt: NOW.toISOString(),
    });
    expect(progressReport(done, "r-1", 5, "loading").ok).toBe(false);
    expect(failReport(done, "r-1", "late", NOW).ok).toBe(false);
  });

  it("runs again after a failure, when the platform retries its request", () => {
    const failed = stateOf(failReport(queued, "r-1", "S3 unavailable", NOW));
    expect(failed).toMatchObject({ status: "failed", error: "S3 unavailable" });
    expect(stateOf(progressReport(failed, "r-1", 5, "loading"))).toMatchObject({ status: "running", error: null });
  });

  it("hands out a file of a done report only", () => {
    expect(fileOf(undefined, "r-1", "pdf")).toEqual({ ok: false, refusal: { kind: "not-found", what: "Report r-1" } });
    expect(fileOf(queued, "r-1", "pdf")).toMatchObject({
      ok: false,
      refusal: { kind: "conflict", currentState: "queued" },
    });
    const done = stateOf(completeReport(queued, "r-1", [pdf], null, NOW));
    expect(fileOf(done, "r-1", "pdf")).toEqual({ ok: true, file: pdf });
  });
});
