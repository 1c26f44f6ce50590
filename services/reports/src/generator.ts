import type { ReportRequested } from "@cdp/contracts";
import type { WriteContext } from "@cdp/lambda-kit";
import type * as z from "zod/mini";
import type { Report, ReportFormat } from "./api.ts";
import type { DeadLetterCounter } from "./dead-letter-counts.ts";
import { buildProgressReport, loadInputs, NOT_COUNTED } from "./domain/progress-report.ts";
import { completeReport, failReport, progressReport } from "./domain/report-lifecycle.ts";
import type { ReportModel } from "./domain/report-model.ts";
import { renderCsv } from "./render/csv.ts";
import { renderHtml } from "./render/html.ts";
import { renderPdf } from "./render/pdf.ts";
import { renderXlsx } from "./render/xlsx.ts";
import type { ReportMail } from "./report-mail.ts";
import type { ProjectionStore } from "./store/projection-store.ts";
import type { ReportStore } from "./store/report-store.ts";

/**
 * The report function's work: load what the period needs from the projections, compute the report, render every
 * format, store them, e-mail a scheduled one, and say how far it got at each step (`GET /reports/{id}`).
 */

export interface StoredObject {
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string;
  readonly filename: string;
}

export interface ReportPorts {
  readonly reports: ReportStore;
  readonly projections: ProjectionStore;
  readonly store: (object: StoredObject) => Promise<void>;
  /** Sends one e-mail; undefined where no distribution list is configured. */
  readonly mail?: ((mail: Omit<ReportMail, "from">) => Promise<void>) | undefined;
  readonly recipients: readonly string[];
  /** Counts the dead-letter queues; undefined where none are configured (the report says "not counted"). */
  readonly deadLetters?: DeadLetterCounter | undefined;
  /** Told why the queues could not be counted: the report goes on without them. */
  readonly onCountFailed?: ((error: unknown) => void) | undefined;
}

const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  html: "text/html; charset=utf-8",
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

export async function renderAll(model: ReportModel, onStep: (format: ReportFormat) => Promise<void>) {
  await onStep("html");
  const html = renderHtml(model);
  await onStep("pdf");
  const pdf = await renderPdf(model);
  await onStep("xlsx");
  const xlsx = await renderXlsx(model);
  await onStep("csv");
  const csv = Buffer.from(renderCsv(model));
  return { html: Buffer.from(html), pdf, xlsx, csv } satisfies Record<ReportFormat, Buffer>;
}

const PERCENT: Readonly<Record<string, number>> = {
  loading: 5,
  html: 20,
  pdf: 35,
  xlsx: 60,
  csv: 70,
  storing: 80,
  "e-mailing": 90,
};

export async function generateReport(
  request: z.output<typeof ReportRequested.detail>,
  ports: ReportPorts,
  context: WriteContext,
): Promise<Report> {
  const { reportId } = request;
  const step = (name: string) =>
    ports.reports.change(reportId, (current) => progressReport(current, reportId, PERCENT[name] ?? 0, name), context);
  try {
    await step("loading");
    const inputs = await loadInputs(ports.projections, request.from, request.to, await countDeadLetters(ports));
    const model = buildProgressReport(
      { reportId, from: request.from, to: request.to, generatedAt: context.now.toISOString() },
      inputs,
    );
    const rendered = await renderAll(model, (format) => step(format).then(() => undefined));
    await step("storing");
    const files = await Promise.all(
      (Object.entries(rendered) as [ReportFormat, Buffer][]).map(async ([format, body]) => {
        const filename = `city-diplomacy-report-${request.from}-${request.to}.${format}`;
        const key = `reports/${reportId}/${filename}`;
        await ports.store({ key, body, contentType: CONTENT_TYPES[format], filename });
        return { format, key, contentType: CONTENT_TYPES[format], bytes: body.length };
      }),
    );
    let emailedTo: number | null = null;
    if (request.trigger === "schedule" && ports.mail && ports.recipients.length > 0) {
      await step("e-mailing");
      await ports.mail({
        to: ports.recipients,
        subject: `${model.title.ja} ${model.period.label.ja} / ${model.title.en}, ${model.period.label.en}`,
        text: `${model.title.ja}（${model.period.label.ja}）を添付します。\r\n${model.title.en} for ${model.period.label.en} attached.`,
        html: rendered.html.toString("utf8"),
        attachment: {
          filename:
            files
              .find((file) => file.format === "pdf")
              ?.key.split("/")
              .at(-1) ?? "report.pdf",
          contentType: "application/pdf",
          content: rendered.pdf,
        },
      });
      emailedTo = ports.recipients.length;
    }
    return await ports.reports.change(
      reportId,
      (current) => completeReport(current, reportId, files, emailedTo, new Date()),
      context,
    );
  } catch (error) {
    // Recorded for the people who asked, then thrown: the platform retries and finally dead-letters the request.
    const reason = error instanceof Error ? error.message.slice(0, 500) : "unknown error";
    await ports.reports
      .change(reportId, (current) => failReport(current, reportId, reason, new Date()), context)
      .catch(() => undefined);
    throw error;
  }
}

/** A report without its dead letters is better than none: a failed count shows as "not counted", and is logged. */
export async function countDeadLetters(ports: Pick<ReportPorts, "deadLetters" | "onCountFailed">) {
  if (!ports.deadLetters) return NOT_COUNTED;
  try {
    return await ports.deadLetters();
  } catch (error) {
    ports.onCountFailed?.(error);
    return NOT_COUNTED;
  }
}
