import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { createLogger } from "./logger.ts";
import { EVENT_BUS_ENV } from "./manifest.ts";
import { OUTBOX_PREFIX } from "./transaction.ts";

export { OUTBOX_STREAM_FILTER } from "./transaction.ts";

const PUT_EVENTS_BATCH = 10;
const log = createLogger(process.env.POWERTOOLS_SERVICE_NAME ?? "outbox-relay");
const eventBridge = new EventBridgeClient({});

interface PendingEntry {
  readonly sequenceNumber: string;
  readonly entry: PutEventsRequestEntry;
}

/**
 * Publishes committed outbox items to the bus. Entries EventBridge refuses are reported as batch
 * item failures, so the stream retries from the first of them and nothing is lost.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const busName = process.env[EVENT_BUS_ENV];
  const pending: PendingEntry[] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (record.eventName !== "INSERT" || !image || !sequenceNumber) continue;
    const item = unmarshall(image as Record<string, AttributeValue>);
    if (typeof item.pk !== "string" || !item.pk.startsWith(OUTBOX_PREFIX)) continue;
    pending.push({
      sequenceNumber,
      entry: {
        EventBusName: busName,
        Source: String(item.source),
        DetailType: String(item.detailType),
        Detail: String(item.detail),
        Time: new Date(String(item.createdAt)),
      },
    });
  }

  const failed: string[] = [];
  for (let start = 0; start < pending.length; start += PUT_EVENTS_BATCH) {
    const batch = pending.slice(start, start + PUT_EVENTS_BATCH);
    try {
      const result = await eventBridge.send(new PutEventsCommand({ Entries: batch.map((p) => p.entry) }));
      result.Entries?.forEach((entry, index) => {
        const sent = batch[index];
        if (entry.ErrorCode && sent) {
          log.error("event refused by the bus", { detailType: sent.entry.DetailType, errorCode: entry.ErrorCode });
          failed.push(sent.sequenceNumber);
        }
      });
    } catch (error) {
      log.error("PutEvents failed", error as Error);
      failed.push(...batch.map((p) => p.sequenceNumber));
    }
  }
  if (pending.length > 0)
    log.info("outbox relayed", { published: pending.length - failed.length, failed: failed.length });
  // Report from the earliest failure on: the stream retries in order.
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}
