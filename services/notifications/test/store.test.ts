import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient } from "@cdp/lambda-kit";
import { Refused } from "@cdp/lambda-kit/decision";
import { beforeAll, describe, expect, it } from "vitest";
import type { Notice, PartnerCopy } from "../src/domain/model.ts";
import { noticeId } from "../src/domain/notices.ts";
import { table } from "../src/manifest.ts";
import { keepPartnerCopy } from "../src/partner-copies.ts";
import { NoticeStore } from "../src/store/notice-store.ts";

const tableName = `notifications-${randomUUID()}`;
const client = createDocumentClient();
const store = new NoticeStore(client, tableName);
const now = new Date("2026-11-28T01:00:00Z");

beforeAll(async () => {
  await ensureTable(new DynamoDBClient({}), tableName, table);
});

const contact = (email: string) => ({
  name: { ja: "担当", en: "Officer" },
  role: "Liaison",
  email,
  preferredLanguage: "en" as const,
});

function notice(overrides: Partial<Notice> = {}): Notice {
  const recipient = overrides.recipient ?? `r-${randomUUID()}@example.org`;
  return {
    id: noticeId("visit-1", "visit-confirmed", "paris", recipient),
    kind: "visit-confirmed",
    subjectKind: "visit",
    subjectId: "visit-1",
    visitId: "visit-1",
    partnerId: "paris",
    recipient,
    recipientName: { ja: "担当", en: "Officer" },
    language: "en",
    eventId: "event-1",
    subject: "Visit confirmed",
    sesMessageId: null,
    status: "sending",
    attempts: 0,
    lastError: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...overrides,
  };
}

describe("notice store on DynamoDB Local", () => {
  it("keeps the newest copy of a partner whatever order the events arrive in", async () => {
    const partnerId = `p-${randomUUID().slice(0, 8)}`;
    const copy = (version: number, email: string): PartnerCopy => ({
      partnerId,
      name: { ja: "市", en: "City" },
      contacts: [contact(email)],
      version,
    });
    await keepPartnerCopy(store, copy(3, "new@example.org"), now);
    const older = keepPartnerCopy(store, copy(1, "old@example.org"), now);
    await expect(older).rejects.toBeInstanceOf(Refused);
    await expect(older).rejects.toMatchObject({ refusal: { kind: "conflict", currentState: "version 3" } });
    await expect(keepPartnerCopy(store, copy(3, "same@example.org"), now)).rejects.toBeInstanceOf(Refused);
    const copies = await store.partners([partnerId]);
    expect(copies.get(partnerId)?.contacts.map((c) => c.email)).toEqual(["new@example.org"]);
  });

  it("keeps the newest of copies offered at the same time: a write that lost the race decides again", async () => {
    const partnerId = `race-${randomUUID().slice(0, 8)}`;
    // Four offers: each loses at most three races, and `withRetries` makes four attempts.
    const offers = [1, 2, 3, 4].map((version) => ({
      partnerId,
      name: { ja: "市", en: "City" },
      contacts: [contact(`v${version}@example.org`)],
      version,
    }));
    const outcomes = await Promise.allSettled(offers.map((offer) => keepPartnerCopy(store, offer, now)));
    // Each offer is either kept or refused as older, never lost to a race.
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") expect(outcome.reason).toBeInstanceOf(Refused);
    }
    expect((await store.partner(partnerId))?.version).toBe(4);
  });

  it("lets one sender claim a notice; a sent one never again, a failed one again with its attempts", async () => {
    const first = notice();
    const claimed = await store.claim(first, now);
    expect(claimed).toMatchObject({ status: "sending", attempts: 0 });
    expect(await store.claim(first, now)).toBeNull();

    await store.record({ ...first, status: "failed", attempts: 3, lastError: "MessageRejected" });
    const again = await store.claim({ ...first, eventId: "event-2" }, new Date(now.getTime() + 60_000));
    expect(again).toMatchObject({ status: "sending", attempts: 3, createdAt: first.createdAt, eventId: "event-2" });

    await store.record({ ...first, status: "sent", attempts: 4, sesMessageId: "m-1" });
    expect(await store.claim(first, new Date(now.getTime() + 3_600_000))).toBeNull();
  });

  it("takes over a notice whose sender vanished once its claim has lapsed", async () => {
    const orphan = notice();
    expect(await store.claim(orphan, now)).not.toBeNull();
    expect(await store.claim(orphan, new Date(now.getTime() + 30_000))).toBeNull();
    expect(await store.claim(orphan, new Date(now.getTime() + 10 * 60_000))).not.toBeNull();
  });

  it("lists a partner's notices newest first within a period", async () => {
    const partnerId = `lst-${randomUUID().slice(0, 8)}`;
    for (const [day, recipient] of [
      ["2026-11-01", "a@example.org"],
      ["2026-11-15", "b@example.org"],
      ["2026-12-01", "c@example.org"],
    ] as const) {
      await store.record(
        notice({ id: randomUUID(), partnerId, recipient, status: "sent", createdAt: `${day}T09:00:00.000Z` }),
      );
    }
    const november = await store.list({ partnerId, from: "2026-11-01", to: "2026-11-30" }, 10);
    expect(november.items.map((n) => n.recipient)).toEqual(["b@example.org", "a@example.org"]);
  });

  it("reads a visit notice written before notices had subjects as a notice about its visit", async () => {
    const partnerId = `old-${randomUUID().slice(0, 8)}`;
    const { subjectKind: _kind, subjectId: _id, ...legacy } = notice({ partnerId, status: "failed", attempts: 3 });
    const sortKey = `${legacy.createdAt}#${legacy.id}`;
    await client.send(
      new PutCommand({
        TableName: tableName,
        // As the service wrote it then: the same keys, no subject.
        Item: {
          pk: `NOTICE#${legacy.id}`,
          sk: "NOTICE",
          gsi1pk: `NOTICES#${partnerId}`,
          gsi1sk: sortKey,
          gsi2pk: "NOTICES",
          gsi2sk: sortKey,
          ...legacy,
        },
      }),
    );
    expect((await store.list({ partnerId }, 10)).items).toEqual([
      { ...legacy, subjectKind: "visit", subjectId: "visit-1" },
    ]);
    // The visit event delivered again claims it (it had failed) under the same id, and writes the subject onto it.
    const retried = notice({ partnerId, recipient: legacy.recipient, eventId: "event-2" });
    expect(retried.id).toBe(legacy.id);
    expect(await store.claim(retried, new Date(now.getTime() + 60_000))).toMatchObject({
      subjectKind: "visit",
      subjectId: "visit-1",
      visitId: "visit-1",
      attempts: 3,
    });
  });
});
