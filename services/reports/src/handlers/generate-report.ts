import { eventHandler } from "@cdp/lambda-kit";
import { generateReport } from "../generator.ts";
import { reportRequested } from "../manifest.ts";
import { reportPorts } from "./report-ports.ts";
import { consumerOptions } from "./shared.ts";

const ports = reportPorts();

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
