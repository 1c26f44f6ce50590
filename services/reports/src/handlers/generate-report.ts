import { createLogger, eventHandler } from "@cdp/lambda-kit";
import { generateReport } from "../generator.ts";
import { reportRequested } from "../manifest.ts";
import { reportPorts } from "./report-ports.ts";
import { consumerOptions } from "./shared.ts";

const moduleLog = createLogger("reports");
// The error's name only: SQS's messages may carry queue URLs, which are nothing personal, but the name is enough.
const ports = reportPorts((error) =>
  moduleLog.warn("dead-letter queues not counted", { error: error instanceof Error ? error.name : "unknown" }),
);

/** Builds the report asked for: every format, stored; a scheduled one e-mailed. A done report is left as it is. */
export const handler = eventHandler(
  reportRequested,
  async (request, { correlationId, log }) => {
    const report = await generateReport(request, ports, {
      actor: `event:${reportRequested.name}`,
      correlationId,
      now: new Date(),
    });
    log.info("report generated", {
      reportId: report.reportId,
      files: report.files.length,
      emailedTo: report.emailedTo,
    });
  },
  consumerOptions,
);
