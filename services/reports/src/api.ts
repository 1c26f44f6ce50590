import { IsoDate, ReportKind, type Role } from "@cdp/contracts";
import { defineRoute, PagingQuery, pageOf } from "@cdp/lambda-kit";
import * as z from "zod/mini";
import { MAX_PERIOD_DAYS, periodProblem } from "./domain/periods.ts";

export const SERVICE_NAME = "reports";

/** Who asks for reports and reads them: the international-affairs office, the auditors, the administrators. */
const REPORT_ROLES: readonly Role[] = ["international-affairs", "auditor", "admin"];

export const REPORT_FORMATS = ["html", "pdf", "xlsx", "csv"] as const;
export const ReportFormat = z.enum(REPORT_FORMATS);
export type ReportFormat = z.infer<typeof ReportFormat>;

export const ReportStatus = z.enum(["queued", "running", "done", "failed"]);
export type ReportStatus = z.infer<typeof ReportStatus>;

/** A report's dates: the platform's records begin with the 1960 sister-city agreement; fiscal years end at FY2099. */
const ReportDate = IsoDate.check(
  z.refine((date) => date >= "1950-01-01" && date <= "2099-12-31", "must be between 1950-01-01 and 2099-12-31"),
);

export const ReportRequestBody = z
  .strictObject({
    kind: ReportKind,
    from: ReportDate,
    to: ReportDate,
  })
  .check(
    // Only once both dates are real ones: a broken date is reported at its own field.
    z.refine((body) => !isDate(body.from) || !isDate(body.to) || periodProblem(body.from, body.to) === null, {
      message: `must not be before from, and a report covers at most ${MAX_PERIOD_DAYS} days`,
      path: ["to"],
    }),
  );
export type ReportRequestBody = z.infer<typeof ReportRequestBody>;

function isDate(value: unknown): value is string {
  return ReportDate.safeParse(value).success;
}

const StoredFile = z.object({
  format: ReportFormat,
  key: z.string(),
  contentType: z.string(),
  bytes: z.int(),
});

export const Report = z.object({
  reportId: z.string(),
  kind: ReportKind,
  from: IsoDate,
  to: IsoDate,
  label: z.object({ ja: z.string(), en: z.string() }),
  trigger: z.enum(["on-demand", "schedule"]),
  requestedBy: z.string(),
  requestedAt: z.string(),
  status: ReportStatus,
  progress: z.object({
    percent: z.int().check(z.describe("0 to 100")),
    step: z
      .string()
      .check(z.describe("What the report function is doing: loading, html, pdf, xlsx, csv, storing, e-mailing")),
  }),
  files: z.array(StoredFile),
  /** Why it failed, in words; never a stack trace. */
  error: z.nullable(z.string()),
  /** How many addresses a scheduled report was e-mailed to. */
  emailedTo: z.nullable(z.int()),
  completedAt: z.nullable(z.string()),
  version: z.int(),
});
export type Report = z.infer<typeof Report>;

const ReportParams = z.object({ id: z.string().check(z.regex(/^[0-9A-Za-z-]{1,64}$/, "must be a report id")) });
const problem = (description: string) => ({ description });

export const createReport = defineRoute({
  method: "POST",
  path: "/reports",
  operationId: "createReport",
  summary: "Ask for a report of a period: 202 with its id at once; the report function builds every format",
  handler: "src/handlers/create-report.ts",
  roles: REPORT_ROLES,
  access: "write",
  request: { body: ReportRequestBody },
  responses: { 202: { description: "Accepted: queued", schema: Report } },
});

export const listReports = defineRoute({
  method: "GET",
  path: "/reports",
  operationId: "listReports",
  summary: "Reports, newest first",
  handler: "src/handlers/list-reports.ts",
  roles: REPORT_ROLES,
  access: "read",
  request: { query: z.object(PagingQuery) },
  responses: { 200: { description: "A page of reports", schema: pageOf(Report) } },
});

export const getReport = defineRoute({
  method: "GET",
  path: "/reports/{id}",
  operationId: "getReport",
  summary: "A report's status, and its progress while it runs",
  handler: "src/handlers/get-report.ts",
  roles: REPORT_ROLES,
  access: "read",
  request: { params: ReportParams },
  responses: { 200: { description: "The report", schema: Report }, 404: problem("Unknown report") },
});

export const downloadReport = defineRoute({
  method: "GET",
  path: "/reports/{id}/{format}",
  operationId: "downloadReport",
  summary: "Redirects to a short-lived (5 minutes) presigned URL of the report in one format",
  handler: "src/handlers/download-report.ts",
  roles: REPORT_ROLES,
  access: "read",
  request: { params: z.object({ id: ReportParams.shape.id, format: ReportFormat }) },
  readsBucket: true,
  responses: {
    302: { description: "Found: the Location header is the presigned URL" },
    404: problem("Unknown report"),
    409: problem("The report is not done (its status is named)"),
  },
});

export const routes = [createReport, listReports, getReport, downloadReport];
