import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { VisitNoticeDetail } from "@cdp/contracts";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, eventHandler, UnprocessedKeysRemain } from "@cdp/lambda-kit";
import { throttledBatchGets } from "@cdp/lambda-kit/testing";
import type { Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { SERVICE_NAME } from "../src/api.ts";
import { table, visitConfirmed } from "../src/manifest.ts";
import { PartnerNotifier, type SendEmail } from "../src/notifier.ts";
import { keepPartnerCopy } from "../src/partner-copies.ts";
import { NoticeStore } from "../src/store/notice-store.ts";

/**
 * A partner read DynamoDB throttles: BatchGetItem hands the partner's key back in `UnprocessedKeys`.
 * Today's consumer must read it again, not take the partner for one without contact.
 */
const tableName = `notifications-${randomUUID()}`;
process.env[table.envVar] = tableName;
const store = new NoticeStore(createDocumentClient(), tableName);
const now = new Date("2026-11-28T01:00:00Z");

beforeAll(async () => {
  await ensureTable(new DynamoDBClient({}), tableName, table);
});

/**
 * A real document client on DynamoDB Local whose BatchGetItem leaves the throttled partners' keys
 * unprocessed, as DynamoDB does under throttling, for its first `throttledCalls` calls.
 */
function throttlingClient(throttledPartnerIds: readonly string[], throttledCalls: number) {
  const throttled = new Set(throttledPartnerIds.map((id) => `PARTNER#${id}`));
  const { client, state } = throttledBatchGets({
    tableName,
    throttledCalls,
    withhold: (keys) => keys.filter((key) => throttled.has(String(key.pk))),
  });
  return { client, state };
}

/** Keeps what would go to SES; answers with a message id. */
function recordingSender() {
  const sent: string[] = [];
  const send: SendEmail = async ({ to }) => {
    sent.push(to);
    return `ses-${randomUUID()}`;
  };
  return { sent, send };
}

function visitConfirmedEvent(partnerIds: readonly string[]) {
  const detail: VisitNoticeDetail = {
    visitId: `v-${randomUUID().slice(0, 8)}`,
    direction: "inbound",
    partnerIds: [...partnerIds],
    delegationHead: {
      name: { ja: "キム", en: "Kim" },
      title: { ja: "市長", en: "Mayor" },
      level: "head",
    },
    purpose: "relationship-building",
    purposeStatement: { ja: "関係強化", en: "Strengthening ties" },
    startDate: "2031-05-01",
    endDate: "2031-05-03",
    correlationId: "c-1",
    metadata: { eventId: randomUUID(), correlationId: "c-1", occurredAt: now.toISOString() },
  };
  /** Each delivery is a new PutEvents entry with an envelope id of its own; the detail stays the same. */
  const envelope = () => ({
    version: "0",
    id: randomUUID(),
    "detail-type": visitConfirmed.contract.detailType,
    source: visitConfirmed.contract.source,
    account: "123456789012",
    time: now.toISOString(),
    region: "ap-northeast-1",
    resources: [],
    detail,
  });
  return { detail, envelope };
}

const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: "notifications-visit-confirmed",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:notifications-visit-confirmed",
  memoryLimitInMB: "256",
  awsRequestId: randomUUID(),
  logGroupName: "/aws/lambda/notifications-visit-confirmed",
  logStreamName: "stream",
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** The visit-confirmed consumer as its handler module builds it, on the given client and sender. */
function consumer(client: NoticeStore, send: SendEmail) {
  const notifier = new PartnerNotifier(client, send, { attempts: 1, firstDelayMs: 1 });
  return eventHandler(
    visitConfirmed,
    async (visit, { eventId, log }) => {
      await notifier.notify({ kind: "visit-confirmed", visit }, eventId, new Date(), log);
    },
    { serviceName: SERVICE_NAME, table },
  );
}

/** A partner this service keeps a copy of, with one contact. */
async function partnerWithContact() {
  const partnerId = `p-${randomUUID().slice(0, 8)}`;
  const address = `officer-${randomUUID().slice(0, 8)}@partner.example`;
  await keepPartnerCopy(
    store,
    {
      partnerId,
      name: { ja: "市", en: "City" },
      contacts: [{ name: { ja: "担当", en: "Officer" }, role: "Liaison", email: address, preferredLanguage: "en" }],
      version: 1,
    },
    now,
  );
  return { partnerId, address };
}

const noticesOf = async (partnerId: string) => (await store.list({ partnerId }, 100)).items;
const noWait = { sleep: async () => undefined };

describe("a visit notice when DynamoDB throttles the partner read", () => {
  it("reads the partner again and sends its contact the notice: no no-contact record", async () => {
    const { partnerId, address } = await partnerWithContact();
    const other = await partnerWithContact();
    const { client, state } = throttlingClient([partnerId], 2);
    const { sent, send } = recordingSender();
    const handler = consumer(new NoticeStore(client, tableName, noWait), send);
    const { detail, envelope } = visitConfirmedEvent([partnerId, other.partnerId]);

    await handler(envelope(), lambdaContext());

    const notices = await noticesOf(partnerId);
    expect(notices.map((n) => [n.status, n.recipient])).toEqual([["sent", address]]);
    expect(sent.sort()).toEqual([address, other.address].sort());
    // The causing event is the event's own id, not the envelope's.
    expect(notices[0]?.eventId).toBe(detail.metadata.eventId);
    // Read three times: twice throttled, then served.
    expect(state.requests.length).toBe(3);
  });

  it("fails the event while the partner stays unread, so it is retried; the retry sends the notice once", async () => {
    const { partnerId, address } = await partnerWithContact();
    const { client, state } = throttlingClient([partnerId], Number.POSITIVE_INFINITY);
    const { sent, send } = recordingSender();
    const handler = consumer(new NoticeStore(client, tableName, { ...noWait, maxRounds: 3 }), send);
    const { detail, envelope } = visitConfirmedEvent([partnerId]);

    await expect(handler(envelope(), lambdaContext())).rejects.toBeInstanceOf(UnprocessedKeysRemain);
    expect(state.requests.length).toBe(4);
    expect(sent).toEqual([]);
    expect(await noticesOf(partnerId)).toEqual([]);

    // DynamoDB serves the key again; the bus delivers the event again (a new envelope id).
    state.throttledCalls = 0;
    await handler(envelope(), lambdaContext());
    await handler(envelope(), lambdaContext());

    expect(sent).toEqual([address]);
    const notices = await noticesOf(partnerId);
    expect(notices.map((n) => [n.status, n.recipient, n.eventId])).toEqual([
      ["sent", address, detail.metadata.eventId],
    ]);
  });
});
