import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { type ConsumedEvent, createDocumentClient, SENDER_ADDRESS_ENV } from "@cdp/lambda-kit";
import { eventBridgeEvent, eventMetadata, lambdaContext } from "@cdp/lambda-kit/testing";
import { type SesLocal, startSesLocal } from "@cdp/ses-local";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  aCancelledPlacement,
  aFundedPlacement,
  type PlacementCancelledDetail,
  type PlacementFundedDetail,
} from "../src/domain/placement-builders.ts";
import { placementCancelled, placementFunded, table } from "../src/manifest.ts";
import { keepPartnerCopy } from "../src/partner-copies.ts";
import { NoticeStore } from "../src/store/notice-store.ts";

/**
 * The placement consumers as Lambda runs them, their handler modules unchanged, against DynamoDB Local
 * and the SES stand-in: what reaches the partners' contacts is read back from the stand-in's mail store.
 */
const tableName = `notifications-${randomUUID()}`;
const store = new NoticeStore(createDocumentClient(), tableName);
type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<ConsumedEvent>;
let ses: SesLocal;
let onFunded: Handler;
let onCancelled: Handler;
/** Every log line the consumers write, to check what they never contain. */
const logLines: string[] = [];

beforeAll(async () => {
  await ensureTable(new DynamoDBClient({}), tableName, table);
  ses = await startSesLocal();
  process.env[table.envVar] = tableName;
  process.env.AWS_ENDPOINT_URL_SES = ses.endpoint;
  process.env[SENDER_ADDRESS_ENV] = "notices@city-diplomacy.example";
  process.env.NOTICE_RETRY_FIRST_DELAY_MS = "10";
  process.env.LOG_LEVEL = "INFO";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    logLines.push(String(chunk));
    return true;
  });
  // Loaded as a function instance loads them: the store, the SES client and the logger are built at load.
  onFunded = (await import("../src/handlers/on-placement-funded.ts")).handler;
  onCancelled = (await import("../src/handlers/on-placement-cancelled.ts")).handler;
});

afterAll(async () => {
  vi.restoreAllMocks();
  process.env.LOG_LEVEL = "SILENT";
  await ses?.stop();
});

interface StoredEmail {
  messageId: string;
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
}

async function mailTo(address: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((email) => email.destination.to.includes(address));
}

const noticesOf = async (partnerId: string) => (await store.list({ partnerId }, 100)).items;

/** A partner this service keeps a copy of, with a contact who reads Japanese first and one who reads English. */
async function partnerWithContacts() {
  const partnerId = `p-${randomUUID().slice(0, 8)}`;
  const jaContact = `ja-${randomUUID().slice(0, 8)}@partner.example`;
  const enContact = `en-${randomUUID().slice(0, 8)}@partner.example`;
  await keepPartnerCopy(
    store,
    {
      partnerId,
      name: { ja: "パリ市", en: "Paris" },
      contacts: [
        {
          name: { ja: "国際担当", en: "Liaison" },
          role: "International relations",
          email: jaContact,
          preferredLanguage: "ja",
        },
        { name: { ja: "広報担当", en: "Press" }, role: "Press", email: enContact, preferredLanguage: "en" },
      ],
      version: 1,
    },
    new Date(),
  );
  return { partnerId, jaContact, enContact };
}

type FundedDetail = PlacementFundedDetail;
type CancelledDetail = PlacementCancelledDetail;

/** The partner's official hosted in Tokyo, as the staff-exchange service publishes the funding: a new one each time. */
const fundedPlacement = (partnerId: string): FundedDetail =>
  aFundedPlacement({
    placementId: `pl-${randomUUID().slice(0, 8)}`,
    partnerId,
    programmeId: partnerId,
    holdId: randomUUID(),
    metadata: eventMetadata(),
  });

/** The same placement cancelled, as a new event. */
const cancelledPlacement = (
  funded: FundedDetail,
  previousStatus: CancelledDetail["previousStatus"],
): CancelledDetail => ({
  ...aCancelledPlacement(previousStatus, funded),
  metadata: eventMetadata(),
});

/** One delivery by the bus: a new envelope id every time, the event's own id in the detail. */
const deliverFunded = (detail: FundedDetail) =>
  onFunded(
    eventBridgeEvent(placementFunded.contract.source, placementFunded.contract.detailType, detail),
    lambdaContext("notifications-placement-funded"),
  );
const deliverCancelled = (detail: CancelledDetail) =>
  onCancelled(
    eventBridgeEvent(placementCancelled.contract.source, placementCancelled.contract.detailType, detail),
    lambdaContext("notifications-placement-cancelled"),
  );

describe("placement notices through SES, on DynamoDB Local", () => {
  it("sends every contact of the partner one e-mail for a funded inbound placement, whatever the deliveries", async () => {
    const { partnerId, jaContact, enContact } = await partnerWithContacts();
    const funded = fundedPlacement(partnerId);

    expect(await deliverFunded(funded)).toEqual({ consumed: funded.metadata.eventId });
    const [toJa, toEn] = [await mailTo(jaContact), await mailTo(enContact)];
    expect([toJa.length, toEn.length]).toEqual([1, 1]);
    expect(toJa[0]?.subject).toBe(
      "[Tokyo] 職員受入れ決定のお知らせ 2027年4月1日〜9月30日 / Staff placement in Tokyo confirmed 1 April – 30 September 2027",
    );
    expect(toEn[0]?.subject.startsWith("[Tokyo] Staff placement in Tokyo confirmed")).toBe(true);
    for (const line of [
      "パリ市職員の東京都への受入れが決定しましたので、お知らせいたします。",
      "受入先：東京都環境局 気候変動対策部",
      "Host: Climate Change Policy Division, Bureau of Environment, Tokyo Metropolitan Government",
      "Staff member: Jean Dupont, Urban Planning Officer",
    ]) {
      expect(toJa[0]?.body.text).toContain(line);
    }

    // The bus delivers the same event twice more (new envelope ids): the kit's idempotency answers them.
    await deliverFunded(funded);
    await deliverFunded(funded);
    // The producer publishes the same news again under an event id of its own: the notices are sent already.
    await deliverFunded({ ...funded, metadata: eventMetadata() });
    expect([(await mailTo(jaContact)).length, (await mailTo(enContact)).length]).toEqual([1, 1]);

    const notices = await noticesOf(partnerId);
    expect(notices.map((n) => [n.recipient, n.status, n.attempts, n.kind]).sort()).toEqual(
      [
        [enContact, "sent", 1, "placement-funded"],
        [jaContact, "sent", 1, "placement-funded"],
      ].sort(),
    );
    expect(notices.map((n) => n.sesMessageId).sort()).toEqual([toJa[0]?.messageId, toEn[0]?.messageId].sort());
    for (const notice of notices) {
      expect(notice).toMatchObject({
        subjectKind: "placement",
        subjectId: funded.placementId,
        eventId: funded.metadata.eventId,
      });
      expect(notice).not.toHaveProperty("visitId");
    }
  });

  it("tells every contact of a cancellation after the funding, once", async () => {
    const { partnerId, jaContact, enContact } = await partnerWithContacts();
    const funded = fundedPlacement(partnerId);
    await deliverFunded(funded);
    const cancelled = cancelledPlacement(funded, "funded");

    expect(await deliverCancelled(cancelled)).toEqual({ consumed: cancelled.metadata.eventId });
    await deliverCancelled(cancelled);

    const toJa = await mailTo(jaContact);
    expect(toJa.map((email) => email.subject)).toEqual([
      expect.stringMatching(/^\[Tokyo\] 職員受入れ決定のお知らせ /),
      expect.stringMatching(/^\[Tokyo\] 職員受入れ中止のお知らせ /),
    ]);
    expect(toJa[1]?.body.text).toContain(
      "誠に恐縮ながら、パリ市職員の東京都への受入れは中止となりましたので、お知らせいたします。",
    );
    expect(toJa[1]?.body.text).toContain("Reason: The host department was reorganised");
    expect((await mailTo(enContact)).map((email) => email.subject)).toEqual([
      expect.stringMatching(/^\[Tokyo\] Staff placement in Tokyo confirmed /),
      expect.stringMatching(/^\[Tokyo\] Staff placement in Tokyo cancelled /),
    ]);
    const cancellations = (await noticesOf(partnerId)).filter((n) => n.kind === "placement-cancelled");
    expect(cancellations.map((n) => [n.recipient, n.status, n.eventId]).sort()).toEqual(
      [
        [enContact, "sent", cancelled.metadata.eventId],
        [jaContact, "sent", cancelled.metadata.eventId],
      ].sort(),
    );
  });

  it("sends nothing of a placement cancelled from applied: its partner never heard of it", async () => {
    const { partnerId, jaContact, enContact } = await partnerWithContacts();
    const cancelled = cancelledPlacement(fundedPlacement(partnerId), "applied");

    expect(await deliverCancelled(cancelled)).toEqual({ consumed: cancelled.metadata.eventId, ignored: "conflict" });
    expect([...(await mailTo(jaContact)), ...(await mailTo(enContact))]).toEqual([]);
    expect(await noticesOf(partnerId)).toEqual([]);
  });

  it("records a partner without a contact as no-contact, and sends nothing", async () => {
    const partnerId = `none-${randomUUID().slice(0, 8)}`;
    const funded = fundedPlacement(partnerId);
    await deliverFunded(funded);
    expect((await noticesOf(partnerId)).map((n) => [n.kind, n.status, n.recipient, n.subjectId])).toEqual([
      ["placement-funded", "no-contact", null, funded.placementId],
    ]);
  });

  it("writes no address, and nothing of the person placed, to a log line", () => {
    const logs = logLines.join("");
    expect(logs).toContain('"message":"placement notices"');
    expect(logs).toContain('"message":"partners were never told of this placement"');
    for (const secret of ["@partner.example", "Jean", "Dupont", "ジャン", "デュポン", "Urban Planning Officer"]) {
      expect(logs.includes(secret), secret).toBe(false);
    }
  });
});
