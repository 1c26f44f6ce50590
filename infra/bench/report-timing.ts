import type { ReportRequested } from "@cdp/contracts";
import type { Decided, WriteContext } from "@cdp/lambda-kit";
import type { Report } from "@cdp/reports/api";
import { generateReport, type ReportPorts } from "@cdp/reports/generator";
import { reportPorts } from "@cdp/reports/handlers/report-ports";
import { ReportStore } from "@cdp/reports/store/report-store";
import type * as z from "zod/mini";

/**
 * The report function's work, timed step by step: bundled as the report function is (same settings, same packages
 * installed beside it) and run by `runners/report-run.ts` in a fresh `node`. It runs the service's own
 * `generateReport` on the ports the function builds at init (`reportPorts`: the stores, the bucket, SES), each
 * wrapped to note when it is called: the report's progress writes name each step as it begins (loading, html, pdf,
 * xlsx, csv, storing, e-mailing), the projection reads tell when loading ends, the bucket when storing ends. What
 * the handler adds around it (the consumer's contract check and idempotency claim) is not timed.
 */

export const STEPS = ["load", "model", "html", "pdf", "xlsx", "csv", "store", "mail"] as const;
export type Step = (typeof STEPS)[number];

export interface ReportTimes {
  /** Milliseconds of each step; `mail` is 0 for a report not e-mailed. */
  readonly steps: Readonly<Record<Step, number>>;
  /** The report's progress writes (one transaction per step), between the steps. */
  readonly progressMs: number;
  /** The whole of generateReport. */
  readonly totalMs: number;
  /** Items the projection reads returned: what the period costs to load. */
  readonly itemsRead: number;
  readonly files: number;
}

type RequestDetail = z.output<typeof ReportRequested.detail>;
type Span = { start: number; end: number };

/** Created once per instance, at init, as the report function creates them (handlers/generate-report.ts). */
const ports = reportPorts();

/** The report store, noting when each progress write began and ended, by the step it records. */
class NotedReports extends ReportStore {
  readonly writes = new Map<string, Span>();

  override async change(
    reportId: string,
    decide: (current: Report | undefined) => Decided<Report>,
    context: WriteContext,
  ): Promise<Report> {
    let step = "unknown";
    const start = performance.now();
    const report = await super.change(
      reportId,
      (current) => {
        const outcome = decide(current);
        if (outcome.ok) step = outcome.decision.state.progress.step;
        return outcome;
      },
      context,
    );
    this.writes.set(step, { start, end: performance.now() });
    return report;
  }
}

/** The projection store's writes; every other method is a read (the report's loading calls only reads). */
const WRITES: ReadonlySet<string> = new Set(["change", "addFundMovements", "writeAll"]);

/** The projection store, noting when its last read ended and how many items the reads returned. */
function notedProjections(noted: { lastReadEnd: number; itemsRead: number }): ReportPorts["projections"] {
  return new Proxy(ports.projections, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string" || WRITES.has(property)) return value;
      return async (...args: unknown[]) => {
        const result: unknown = await value.apply(target, args);
        noted.itemsRead += Array.isArray(result) ? result.length : result === undefined ? 0 : 1;
        noted.lastReadEnd = performance.now();
        return result;
      };
    },
  });
}

const between = (from: number | undefined, to: number | undefined, step: string): number => {
  if (from === undefined || to === undefined) throw new Error(`the report's ${step} step was not seen`);
  return to - from;
};

/** Generates the report asked for, as the report function does, and says how long each step took. */
export async function timedReport(request: RequestDetail): Promise<ReportTimes> {
  const reports = new NotedReports(ports.reports.client, ports.reports.tableName);
  const reads = { lastReadEnd: Number.NaN, itemsRead: 0 };
  let storeEnd = Number.NaN;
  let mail: Span | undefined;
  const sendMail = ports.mail;
  const noted: ReportPorts = {
    ...ports,
    reports,
    projections: notedProjections(reads),
    store: async (object) => {
      await ports.store(object);
      storeEnd = Math.max(Number.isNaN(storeEnd) ? 0 : storeEnd, performance.now());
    },
    mail:
      sendMail &&
      (async (message) => {
        const start = performance.now();
        await sendMail(message);
        mail = { start, end: performance.now() };
      }),
  };
  const started = performance.now();
  const report = await generateReport(request, noted, {
    actor: "event:generate-report",
    correlationId: request.correlationId ?? request.reportId,
    now: new Date(),
  });
  const totalMs = performance.now() - started;
  if (report.status !== "done") throw new Error(`report ${report.reportId} ended ${report.status}: ${report.error}`);

  const write = (step: string) => reports.writes.get(step);
  const steps: Record<Step, number> = {
    load: between(write("loading")?.end, reads.lastReadEnd, "load"),
    model: between(reads.lastReadEnd, write("html")?.start, "model"),
    html: between(write("html")?.end, write("pdf")?.start, "html"),
    pdf: between(write("pdf")?.end, write("xlsx")?.start, "pdf"),
    xlsx: between(write("xlsx")?.end, write("csv")?.start, "xlsx"),
    csv: between(write("csv")?.end, write("storing")?.start, "csv"),
    store: between(write("storing")?.end, storeEnd, "store"),
    mail: mail ? mail.end - mail.start : 0,
  };
  const progressMs = [...reports.writes.values()].reduce((sum, span) => sum + span.end - span.start, 0);
  return { steps, progressMs, totalMs, itemsRead: reads.itemsRead, files: report.files.length };
}
