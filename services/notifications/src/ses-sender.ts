import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { SENDER_ADDRESS_ENV } from "@cdp/lambda-kit";
import type { SendEmail } from "./notifier.ts";

/**
 * Sends through SES from the service's sender identity. SES's v1 API rather than v2: the same SendEmail for a
 * simple message, the same `ses:SendEmail` permission, and a client half the size (~25 KB against ~60 KB in the
 * bundle, which keeps the e-mail senders under the 350 KB aim). The request timeout matters: a call the
 * endpoint does not answer must fail and be retried, not hang the function.
 */
export function sesSender(): SendEmail {
  const ses = new SESClient({ requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 }, maxAttempts: 1 });
  const from = process.env[SENDER_ADDRESS_ENV];
  if (!from) throw new Error(`${SENDER_ADDRESS_ENV} is not set`);
  return async ({ to, subject, text, html }) => {
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        Source: from,
        Destination: { ToAddresses: [to] },
        Message: {
          Subject: { Data: subject, Charset: "UTF-8" },
          Body: { Text: { Data: text, Charset: "UTF-8" }, Html: { Data: html, Charset: "UTF-8" } },
        },
      }),
    );
    if (!MessageId) throw new Error("SES answered without a message id");
    return MessageId;
  };
}
