import * as z from "zod/mini";
import { CorrelationId, contract, EventMetadata } from "./events.ts";
import { IsoDate, Text } from "./values.ts";

/** The reports service: what it publishes. A report is asked for over HTTP or by the monthly schedule. */
export const REPORTS_SOURCE = "tmg.reports";

export const ReportKind = z.enum(["progress"]);
export type ReportKind = z.infer<typeof ReportKind>;

/** "Generate this report": the report function, which needs minutes and memory an HTTP call has not, acts on it. */
export const ReportRequested = contract(
  REPORTS_SOURCE,
  "ReportRequested.v1",
  z.object({
    reportId: z.string().check(z.minLength(1), z.maxLength(64)),
    kind: ReportKind,
    from: IsoDate,
    to: IsoDate,
    /** `schedule` reports are e-mailed to the distribution list when done. */
    trigger: z.enum(["on-demand", "schedule"]),
    requestedBy: Text(200),
    correlationId: CorrelationId,
    metadata: EventMetadata,
  }),
);
