import { randomUUID } from "node:crypto";
import { httpHandler, writeContextOf } from "@cdp/lambda-kit";
import { createReport } from "../api.ts";
import { requestReport } from "../domain/report-lifecycle.ts";
import { options, reports } from "./shared.ts";

/** Queues the report and its request event in one write: 202 at once, the report function does the rest. */
export const handler = httpHandler(
  createReport,
  async (request) => {
    const reportId = randomUUID();
    const report = await reports.change(
      reportId,
      (current) =>
        requestReport(
          current,
          { reportId, ...request.body, trigger: "on-demand", requestedBy: request.caller.subject },
          new Date(),
        ),
      writeContextOf(request),
    );
    return { status: 202, body: report, headers: { location: `${request.path}/${reportId}` } };
  },
  options,
);
