import { SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import { SENDER_ADDRESS_ENV } from "@cdp/lambda-kit";
import { deadLetterCounterFromEnvironment } from "../dead-letter-counts.ts";
import type { ReportPorts } from "../generator.ts";
import { reportStorage } from "../report-bucket.ts";
import { mimeMessage } from "../report-mail.ts";
import { projections, reports } from "./shared.ts";

/** The distribution list of the monthly report, from the configuration (comma-separated). */
export const REPORT_RECIPIENTS_ENV = "REPORT_RECIPIENTS";

/** What the report function needs: the stores, the bucket, the dead-letter queues and, for scheduled reports, SES. */
export function reportPorts(onCountFailed?: (error: unknown) => void): ReportPorts {
  const recipients = (process.env[REPORT_RECIPIENTS_ENV] ?? "")
    .split(",")
    .map((address) => address.trim())
    .filter((address) => address.length > 0);
  const from = process.env[SENDER_ADDRESS_ENV];
  const ses = new SESClient({ requestHandler: { requestTimeout: 20_000, connectionTimeout: 2_000 }, maxAttempts: 3 });
  return {
    reports,
    projections,
    store: reportStorage(),
    recipients,
    deadLetters: deadLetterCounterFromEnvironment(),
    onCountFailed,
    mail: from
      ? async (mail) => {
          await ses.send(new SendRawEmailCommand({ RawMessage: { Data: mimeMessage({ ...mail, from }) } }));
        }
      : undefined,
  };
}
