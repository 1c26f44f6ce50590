import { randomUUID } from "node:crypto";

/**
 * A finished scheduled report as one MIME message: the HTML report as the body (with a plain-text alternative
 * for readers that show no HTML) and the PDF attached. Built by hand: SES's SendRawEmail takes the raw message,
 * and a MIME library would add weight to the bundle for a few lines of headers. Every part is base64, so no line
 * is ever longer than 76 characters and any byte is safe.
 */
export interface ReportMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachment: { readonly filename: string; readonly contentType: string; readonly content: Buffer };
}

function base64Lines(content: Buffer | string): string {
  const encoded = Buffer.from(content).toString("base64");
  return encoded.replace(/.{1,76}/g, (line) => `${line}\r\n`);
}

/** RFC 2047: a header with Japanese in it, as UTF-8 base64 encoded-words. */
export function encodedWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return `=?UTF-8?B?${Buffer.from(text).toString("base64")}?=`;
}

export function mimeMessage(mail: ReportMail, boundarySeed: string = randomUUID()): Buffer {
  const mixed = `mixed-${boundarySeed}`;
  const alternative = `alt-${boundarySeed}`;
  const lines = [
    `From: ${mail.from}`,
    `To: ${mail.to.join(", ")}`,
    `Subject: ${encodedWord(mail.subject)}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    "",
    `--${mixed}`,
    `Content-Type: multipart/alternative; boundary="${alternative}"`,
    "",
    `--${alternative}`,
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(mail.text),
    `--${alternative}`,
    "Content-Type: text/html; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(mail.html),
    `--${alternative}--`,
    "",
    `--${mixed}`,
    `Content-Type: ${mail.attachment.contentType}; name="${mail.attachment.filename}"`,
    `Content-Disposition: attachment; filename="${mail.attachment.filename}"`,
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(mail.attachment.content),
    `--${mixed}--`,
    "",
  ];
  return Buffer.from(lines.join("\r\n"));
}
