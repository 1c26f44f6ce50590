import { describe, expect, it } from "vitest";
import { encodedWord, mimeMessage } from "./report-mail.ts";

const mail = {
  from: "city-diplomacy@notices.localhost",
  to: ["meeting@metro.localhost", "chair@metro.localhost"],
  subject: "都市外交推進状況報告 2026年11月 / City Diplomacy Progress Report, November 2026",
  text: "報告書を添付します。",
  html: '<!doctype html><html lang="ja"><body><h1>都市外交推進状況報告</h1></body></html>',
  attachment: {
    filename: "report.pdf",
    contentType: "application/pdf",
    content: Buffer.from("%PDF-1.7 binary \u0000\u00ff"),
  },
};

/** The parts of a MIME message, decoded: what a mail client shows. */
function partsOf(raw: string): { headers: string; body: string }[] {
  return raw
    .split(/\r\n--(?:mixed|alt)-[^\r\n-]+(?:--)?\r\n/)
    .map((part) => {
      const [headers = "", body = ""] = part.split("\r\n\r\n");
      return { headers, body };
    })
    .filter((part) => part.headers.includes("Content-Transfer-Encoding: base64"));
}

describe("the report's e-mail", () => {
  it("has the HTML report as its body, a plain-text alternative and the PDF attached, byte for byte", () => {
    const raw = mimeMessage(mail, "seed").toString("utf8");
    expect(raw).toContain("To: meeting@metro.localhost, chair@metro.localhost");
    const parts = partsOf(raw);
    const decoded = (type: string) =>
      Buffer.from(parts.find((part) => part.headers.includes(type))?.body.replace(/\r\n/g, "") ?? "", "base64");
    expect(decoded("text/plain").toString("utf8")).toBe(mail.text);
    expect(decoded("text/html").toString("utf8")).toBe(mail.html);
    expect(decoded("application/pdf")).toEqual(mail.attachment.content);
    expect(parts.find((part) => part.headers.includes("application/pdf"))?.headers).toContain(
      'Content-Disposition: attachment; filename="report.pdf"',
    );
    expect(raw.split("\r\n").every((line) => line.length <= 998)).toBe(true);
  });

  it("encodes a Japanese subject as UTF-8 encoded-words and leaves ASCII as it is", () => {
    expect(encodedWord("Monthly report")).toBe("Monthly report");
    const encoded = encodedWord(mail.subject);
    expect(encoded).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Buffer.from(encoded.slice(10, -2), "base64").toString("utf8")).toBe(mail.subject);
  });
});
