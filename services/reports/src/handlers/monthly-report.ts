import { tokyoDate } from "@cdp/contracts";
import { Refused, scheduledJob } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { previousMonth } from "../domain/periods.ts";
import { requestReport } from "../domain/report-lifecycle.ts";
import { monthlyReportSchedule } from "../manifest.ts";
import { reports } from "./shared.ts";

/**
 * Asks for the progress report of the month before the scheduled time (Asia/Tokyo). The id is the month's, so a
 * schedule that fires twice asks once; the report function then builds and e-mails it.
 */
export const handler = scheduledJob(
  monthlyReportSchedule,
  async ({ now, correlationId, log }) => {
    const { from, to } = previousMonth(tokyoDate(now));
    const reportId = `monthly-${from.slice(0, 7)}`;
    try {
      await reports.change(
        reportId,
        (current) =>
          requestReport(
            current,
            {
              reportId,
              kind: "progress",
              from,
              to,
              trigger: "schedule",
              requestedBy: `schedule:${monthlyReportSchedule.name}`,
            },
            now,
          ),
        { actor: `schedule:${monthlyReportSchedule.name}`, correlationId, now },
      );
    } catch (error) {
      if (!(error instanceof Refused && error.refusal.kind === "conflict")) throw error;
      log.info("the month's report was asked for already", { reportId });
      return { reportId, requested: false };
    }
    log.info("monthly report requested", { reportId });
    return { reportId, requested: true };
  },
  { serviceName: SERVICE_NAME },
);
