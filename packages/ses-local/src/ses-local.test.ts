import { SESClient, SendEmailCommand as SendEmailV1Command } from "@aws-sdk/client-ses";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SesLocal, startSesLocal } from "./index.ts";

let ses: SesLocal;
let client: SESv2Client;
beforeAll(async () => {
  ses = await startSesLocal();
  client = new SESv2Client({
    endpoint: ses.endpoint,
    region: "ap-northeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
});
afterAll(() => ses.stop());

const send = (to: string, subject: string) =>
  client.send(
    new SendEmailCommand({
      FromEmailAddress: "notices@city-diplomacy.example",
      Destination: { ToAddresses: [to] },
      Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: "本文 body" } } } },
    }),
  );

describe("SES stand-in with faults", () => {
  it("accepts mail from the real SDK and gives it back at /store", async () => {
    const { MessageId } = await send("partner@example.org", "件名 subject");
    expect(MessageId).toBeTruthy();
    const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] } }[];
    };
    expect(store.emails).toContainEqual(
      expect.objectContaining({
        subject: "件名 subject",
        destination: expect.objectContaining({ to: ["partner@example.org"] }),
      }),
    );
  });

  it("fails a chosen recipient as SES does, as many times as asked, then delivers", async () => {
    await fetch(`${ses.endpoint}/faults`, {
      method: "POST",
      body: JSON.stringify({ recipient: "Busy@Example.org", failures: 2, error: "throttled" }),
    });
    await expect(send("busy@example.org", "one")).rejects.toMatchObject({ name: "TooManyRequestsException" });
    await expect(send("busy@example.org", "two")).rejects.toMatchObject({ name: "TooManyRequestsException" });
    await expect(send("other@example.org", "unaffected")).resolves.toHaveProperty("MessageId");
    await expect(send("busy@example.org", "three")).resolves.toHaveProperty("MessageId");
  });

  it("rejects unverified recipients with MessageRejected and refuses a malformed fault", async () => {
    await fetch(`${ses.endpoint}/faults`, {
      method: "POST",
      body: JSON.stringify({ recipient: "nobody@example.org", failures: 1, error: "rejected" }),
    });
    await expect(send("nobody@example.org", "x")).rejects.toMatchObject({ name: "MessageRejected" });
    expect((await fetch(`${ses.endpoint}/faults`, { method: "POST", body: "{}" })).status).toBe(400);
  });
});

describe("SES stand-in with faults, through SES's v1 API", () => {
  const sendV1 = (to: string) =>
    new SESClient({
      endpoint: ses.endpoint,
      region: "ap-northeast-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    }).send(
      new SendEmailV1Command({
        Source: "notices@city-diplomacy.example",
        Destination: { ToAddresses: [to] },
        Message: { Subject: { Data: "v1 subject" }, Body: { Text: { Data: "本文 body" } } },
      }),
    );

  it("delivers, and fails a chosen recipient with SES v1's own error codes", async () => {
    await expect(sendV1("v1@example.org")).resolves.toHaveProperty("MessageId");
    for (const fault of [
      { recipient: "v1-busy@example.org", failures: 1, error: "throttled" },
      { recipient: "v1-nobody@example.org", failures: 1, error: "rejected" },
    ]) {
      await fetch(`${ses.endpoint}/faults`, { method: "POST", body: JSON.stringify(fault) });
    }
    await expect(sendV1("v1-busy@example.org")).rejects.toMatchObject({ name: "Throttling" });
    await expect(sendV1("v1-nobody@example.org")).rejects.toMatchObject({
      name: "MessageRejected",
      message: expect.stringContaining("not verified"),
    });
    await expect(sendV1("v1-busy@example.org")).resolves.toHaveProperty("MessageId");
  });
});
