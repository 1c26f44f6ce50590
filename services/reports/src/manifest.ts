import { fileURLToPath } from "node:url";
import { ReportRequested } from "@cdp/contracts";
import {
  defineMultiSubscription,
  defineSubscription,
  GSI1,
  type ScheduleSpec,
  type ServiceManifest,
  standardTable,
} from "@cdp/lambda-kit";
import { routes, SERVICE_NAME } from "./api.ts";
import { PROJECTIONS } from "./domain/changes.ts";
import { REPORT_FONT_ENV } from "./render/font.ts";

export const table = standardTable("REPORTS_TABLE", [GSI1]);
/** Where the functions learn the reports bucket's name. */
export const REPORTS_BUCKET_ENV = "REPORTS_BUCKET";

/** Every business event the reports are built from: the events `domain/changes.ts` says how to project. */
export const PROJECTED_CONTRACTS = PROJECTIONS.map((projection) => projection.contract);

/** One consumer for every projected event: one rule, one function, one dead-letter queue. */
export const projectEvents = defineMultiSubscription({
  name: "project-events",
  contracts: nonEmpty(PROJECTED_CONTRACTS),
  handler: "src/handlers/project-event.ts",
  archivesHistory: true,
});

/**
 * The report function: it renders charts, a PDF with an embedded Japanese font and a workbook, so it has memory
 * and time the other functions have not, and the only bundle holding the chart and PDF libraries.
 */
export const reportRequested = defineSubscription({
  name: "generate-report",
  contract: ReportRequested,
  handler: "src/handlers/generate-report.ts",
  sendsEmail: true,
  runtime: {
    // 1,769 MB is one full vCPU: rendering is CPU-bound.
    memorySize: 1769,
    timeoutSeconds: 300,
    writesBucket: true,
    assets: [{ path: "dist/fonts/NotoSansJP-Regular-JIS.ttf", envVar: REPORT_FONT_ENV }],
    nodeModules: ["pdfkit"],
    readsDeadLetterQueues: true,
  },
});

/** The 1st of each month at 06:00 in Tokyo, for the month before. */
export const monthlyReportSchedule: ScheduleSpec = {
  name: "monthly-progress-report",
  expression: "cron(0 6 1 * ? *)",
  timezone: "Asia/Tokyo",
  description: "Asks for the City Diplomacy Progress Report of the month before",
  handler: "src/handlers/monthly-report.ts",
};

export const manifest: ServiceManifest = {
  name: SERVICE_NAME,
  title: "Reports",
  root: fileURLToPath(new URL("..", import.meta.url)),
  table,
  routes,
  subscriptions: [projectEvents, reportRequested],
  schedules: [monthlyReportSchedule],
  publishes: [ReportRequested],
  /** Reports are kept a year (the meeting's records are the minutes, not these files); older versions go after 30 days. */
  bucket: { envVar: REPORTS_BUCKET_ENV, expireAfterDays: 365 },
};

function nonEmpty<T>(items: readonly T[]): readonly [T, ...T[]] {
  const [first, ...rest] = items;
  if (first === undefined) throw new Error("the reports project no event");
  return [first, ...rest];
}
