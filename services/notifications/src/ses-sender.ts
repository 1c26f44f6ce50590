import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { SENDER_ADDRESS_ENV } from "@cdp/lambda-kit";
import type { SendEmail } from "./notifier.ts";

/**
 * Sends through SES v2 from the service's sender identity. The request timeout matters: a call the
 * endpoint does not answer must fail and be retried, not hang the function.
 */
export function sesSender(): SendEmail {
  const ses = new SESv2Client({ requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 }, maxAttempts: 1 });
  const from = process.env[SENDER_ADDRESS_ENV];
  if (!from) throw new Error(`${SENDER_ADDRESS_ENV} is not set`);
  return async ({ to, subject, text, html }) => {
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: subject, Charset: "UTF-8" },
            Body: { Text: { Data: text, Charset: "UTF-8" }, Html: { Data: html, Charset: "UTF-8" } },
          },
        },
      }),
    );
    if (!MessageId) throw new Error("SES answered without a message id");
    return MessageId;
  };
}
