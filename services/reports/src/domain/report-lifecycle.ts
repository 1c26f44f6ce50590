import { ReportRequested } from "@cdp/contracts";
import { type Decided, decided, event, refuse, refused } from "@cdp/lambda-kit/decision";
import type { Report, ReportFormat } from "../api.ts";
import { periodOf } from "./periods.ts";

/**
 * A report's life: queued when asked for (the request event goes out with it), running while the report function
 * works (with its progress), then done with its files, or failed with the reason. Pure: the store writes the
 * decisions.
 */

export interface RequestReport {
  readonly reportId: string;
  readonly kind: Report["kind"];
  readonly from: string;
  readonly to: string;
  readonly trigger: Report["trigger"];
  readonly requestedBy: string;
}

export function requestReport(current: Report | undefined, command: RequestReport, now: Date): Decided<Report> {
  // A schedule that fires twice asks for the same report id: the first one stands.
  if (current) return refused(refuse.conflict(`Report ${command.reportId} was asked for already`, current.status));
  const report: Report = {
    ...command,
    label: periodOf(command.from, command.to).label,
    requestedAt: now.toISOString(),
    status: "queued",
    progress: { percent: 0, step: "queued" },
    files: [],
    error: null,
    emailedTo: null,
    completedAt: null,
    version: 1,
  };
  return decided({
    state: report,
    expectedVersion: null,
    events: [event(ReportRequested, command)],
    audit: { entity: `report#${report.reportId}`, action: "report.requested", beforeVersion: null, afterVersion: 1 },
  });
}

/**
 * The report function's progress. A done report is not touched again (a redelivered request); a failed one runs
 * again when the platform retries its request.
 */
export function progressReport(current: Report | undefined, reportId: string, percent: number, step: string) {
  if (!current) return refused(refuse.notFound(`Report ${reportId}`));
  if (current.status === "done") return refused(refuse.conflict(`Report ${reportId} is done`, current.status));
  return next(current, { status: "running", progress: { percent, step }, error: null }, "report.progress");
}

export function completeReport(
  current: Report | undefined,
  reportId: string,
  files: Report["files"],
  emailedTo: number | null,
  now: Date,
) {
  if (!current) return refused(refuse.notFound(`Report ${reportId}`));
  if (current.status === "done") return refused(refuse.conflict(`Report ${reportId} is done`, current.status));
  return next(
    current,
    {
      status: "done",
      progress: { percent: 100, step: "done" },
      files,
      emailedTo,
      completedAt: now.toISOString(),
      error: null,
    },
    "report.done",
  );
}

export function failReport(current: Report | undefined, reportId: string, reason: string, now: Date) {
  if (!current) return refused(refuse.notFound(`Report ${reportId}`));
  if (current.status === "done") return refused(refuse.conflict(`Report ${reportId} is done`, current.status));
  return next(current, { status: "failed", error: reason, completedAt: now.toISOString() }, "report.failed");
}

/** Where a finished report's format is, or why there is none to hand out. */
export function fileOf(report: Report | undefined, reportId: string, format: ReportFormat) {
  if (!report) return refused(refuse.notFound(`Report ${reportId}`));
  const file = report.files.find((candidate) => candidate.format === format);
  if (report.status !== "done" || !file) {
    return refused(refuse.conflict(`Report ${reportId} is ${report.status}: its files are not ready`, report.status));
  }
  return { ok: true as const, file };
}

function next(current: Report, change: Partial<Report>, action: string): Decided<Report> {
  const state: Report = { ...current, ...change, version: current.version + 1 };
  return decided({
    state,
    expectedVersion: current.version,
    events: [],
    audit: {
      entity: `report#${current.reportId}`,
      action,
      beforeVersion: current.version,
      afterVersion: state.version,
    },
  });
}
