import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, type WriteContext } from "@cdp/lambda-kit";
import { readObject, type S3Local, startS3Local } from "@cdp/s3-local";
import { type SesLocal, startSesLocal } from "@cdp/ses-local";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectAll } from "../src/domain/changes.ts";
import { aHistory } from "../src/domain/history-builders.ts";
import { requestReport } from "../src/domain/report-lifecycle.ts";
import { generateReport, type ReportPorts } from "../src/generator.ts";
import { REPORTS_BUCKET_ENV, table } from "../src/manifest.ts";
import { reportStorage } from "../src/report-bucket.ts";
import { mimeMessage } from "../src/report-mail.ts";
import { ProjectionStore } from "../src/store/projection-store.ts";
import { ReportStore } from "../src/store/report-store.ts";

/**
 * The report function's work against the real stand-ins: the projections in DynamoDB Local, the files in the S3
 * stand-in, the e-mail through the SES stand-in. A scheduled report ends done with four files and one e-mail
 * carrying the PDF; each step's progress was recorded on the way.
 */

const BUCKET = "reports-test";
let s3: S3Local;
let ses: SesLocal;
let ports: ReportPorts;
const client = createDocumentClient();
const context: WriteContext = {
  actor: "event:test",
  correlationId: "generator-test",
  now: new Date("2026-12-01T00:00:00Z"),
};

beforeAll(async () => {
  [s3, ses] = await Promise.all([startS3Local({ buckets: [BUCKET] }), startSesLocal()]);
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_SES = ses.endpoint;
  process.env[REPORTS_BUCKET_ENV] = BUCKET;
  const tableName = `reports-generator-${randomUUID()}`;
  await ensureTable(new DynamoDBClient({}), tableName, table);
  const projections = new ProjectionStore(client, tableName);
  await projections.writeAll(projectAll(aHistory({ firstFiscalYear: 2026, lastFiscalYear: 2026 })));
  const sesClient = new SESClient({ requestHandler: { requestTimeout: 10_000 } });
  ports = {
    reports: new ReportStore(client, tableName),
    projections,
    store: reportStorage(),
    recipients: ["meeting@metro.localhost", "chair@metro.localhost"],
    mail: async (mail) => {
      await sesClient.send(
        new SendRawEmailCommand({ RawMessage: { Data: mimeMessage({ ...mail, from: "reports@notices.localhost" }) } }),
      );
    },
  };
}, 60_000);

afterAll(async () => {
  await Promise.all([s3?.stop(), ses?.stop()]);
});

describe("generating a report", () => {
  it("stores every format, e-mails a scheduled report with the PDF, and records its progress", async () => {
    const request = {
      reportId: "monthly-2026-11",
      kind: "progress" as const,
      from: "2026-11-01",
      to: "2026-11-30",
      trigger: "schedule" as const,
      requestedBy: "schedule:monthly-progress-report",
    };
    await ports.reports.change(request.reportId, (current) => requestReport(current, request, context.now), context);
    const report = await generateReport(
      { ...request, metadata: { eventId: "e", correlationId: "c", occurredAt: context.now.toISOString() } },
      ports,
      context,
    );

    expect(report).toMatchObject({ status: "done", progress: { percent: 100 }, emailedTo: 2, error: null });
    expect(report.files.map((file) => file.format).sort()).toEqual(["csv", "html", "pdf", "xlsx"]);
    // Queued (1), then loading, html, pdf, xlsx, csv, storing, e-mailing, done: each a version.
    expect(report.version).toBe(9);

    const stored = async (format: string) => {
      const file = report.files.find((candidate) => candidate.format === format);
      const object = file && (await readObject(s3.endpoint, BUCKET, file.key));
      if (!file || !object) throw new Error(`no ${format} stored`);
      expect(object.body.length).toBe(file.bytes);
      expect(object.contentType).toBe(file.contentType);
      expect(object.contentDisposition).toMatch(/^attachment; filename="city-diplomacy-report-2026-11-01-2026-11-30\./);
      return object.body;
    };
    expect((await stored("html")).toString("utf8")).toContain("都市外交推進状況報告");
    expect((await stored("pdf")).subarray(0, 5).toString()).toBe("%PDF-");
    expect((await stored("csv")).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await stored("xlsx")).buffer);
    expect(workbook.worksheets.length).toBeGreaterThanOrEqual(6);

    const { emails } = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
      emails: {
        subject: string;
        destination: { to: string[] };
        body: { html?: string };
        attachments: { filename: string; contentType: string; content: string }[];
      }[];
    };
    const mail = emails.find((email) => email.subject.includes("2026年11月"));
    expect(mail?.subject).toBe("都市外交推進状況報告 2026年11月 / City Diplomacy Progress Report, November 2026");
    expect(mail?.destination.to.join(",")).toContain("meeting@metro.localhost");
    expect(mail?.body.html).toContain("<h1");
    expect(mail?.attachments).toEqual([
      expect.objectContaining({
        filename: "city-diplomacy-report-2026-11-01-2026-11-30.pdf",
        contentType: "application/pdf",
      }),
    ]);
    expect(Buffer.from(mail?.attachments[0]?.content ?? "", "base64")).toEqual(await stored("pdf"));
  }, 60_000);

  it("does an on-demand report without e-mail, and leaves a done report as it is when its request comes again", async () => {
    const request = {
      reportId: randomUUID(),
      kind: "progress" as const,
      from: "2026-04-01",
      to: "2026-11-30",
      trigger: "on-demand" as const,
      requestedBy: "user-1",
    };
    await ports.reports.change(request.reportId, (current) => requestReport(current, request, context.now), context);
    const detail = {
      ...request,
      metadata: { eventId: "e2", correlationId: "c", occurredAt: context.now.toISOString() },
    };
    const done = await generateReport(detail, ports, context);
    expect(done).toMatchObject({ status: "done", emailedTo: null, label: { en: "FY2026 to 30 November 2026" } });
    await expect(generateReport(detail, ports, context)).rejects.toMatchObject({
      refusal: { kind: "conflict", currentState: "done" },
    });
    expect(await ports.reports.get(request.reportId)).toEqual(done);
  }, 60_000);
});
