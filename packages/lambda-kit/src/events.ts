import { IdempotencyConfig } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { makeHandlerIdempotent } from "@aws-lambda-powertools/idempotency/middleware";
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { EventEnvelope } from "@cdp/contracts";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type * as z from "zod/v4/core";
import { safeParse } from "zod/v4/core";
import { DEFAULT_REFUSAL_OUTCOMES, type Refusal, type RefusalOutcome, Refused } from "./decision.ts";
import { tableNameFrom } from "./dynamo.ts";
import { createLogger } from "./logger.ts";
import type { SubscriptionSpec, TableSpec } from "./manifest.ts";

export interface EventContext {
  readonly envelope: EventEnvelope;
  /** The event's own identity (`detail.metadata.eventId`): the same across relay retries and replays. */
  readonly eventId: string;
  readonly correlationId: string;
  readonly log: Logger;
}

/**
 * What a consumer returns. Never empty: Powertools idempotency replays the stored result of an
 * event seen before, and middy only short-circuits the handler when that result is a value.
 */
export interface ConsumedEvent {
  readonly consumed: string;
  /** Set when the event was refused and, by the consumer's policy, ignored. */
  readonly ignored?: Refusal["kind"];
}

/** A detail that breaks its contract can never succeed: it is retried, then dead-lettered, and logged. */
export class ContractViolation extends Error {}

/** A refusal the consumer's policy sends to the dead-letter queue, with the reason. */
export class EventRefused extends Error {
  override readonly name = "EventRefused";
}

export interface ConsumerOptions {
  readonly serviceName: string;
  readonly table: TableSpec;
  /** What a refusal of each kind means for this consumer; the kit's defaults otherwise. */
  readonly onRefusal?: Partial<Record<Refusal["kind"], RefusalOutcome>>;
}

/**
 * Wraps an event consumer: validates the envelope and the detail against the subscription's
 * contract, and makes the whole invocation idempotent per event (Powertools idempotency keyed on
 * `detail.metadata.eventId`, records kept in the service's own table), so a redelivered, retried or
 * replayed event changes nothing. A domain refusal is ignored, retried or dead-lettered as the
 * consumer's policy says; any other error propagates: the platform retries and finally dead-letters.
 */
export function eventHandler<Schema extends z.$ZodType>(
  subscription: SubscriptionSpec<{ source: string; detailType: string; detail: Schema }>,
  consume: (detail: z.output<Schema>, context: EventContext) => Promise<void>,
  options: ConsumerOptions,
): (event: unknown, context: Context) => Promise<ConsumedEvent> {
  const outcomes = { ...DEFAULT_REFUSAL_OUTCOMES, ...options.onRefusal };
  const log = createLogger(options.serviceName);
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: tableNameFrom(options.table.envVar),
    keyAttr: options.table.partitionKey,
    sortKeyAttr: options.table.sortKey,
    staticPkValue: `IDEMPOTENCY#${options.serviceName}#${subscription.name}`,
    expiryAttr: options.table.ttlAttribute,
  });
  const config = new IdempotencyConfig({ eventKeyJmesPath: "detail.metadata.eventId", expiresAfterSeconds: 7 * 24 * 3600 });

  const core = async (event: unknown): Promise<ConsumedEvent> => {
    const envelope = EventEnvelope.safeParse(event);
    if (!envelope.success) throw new ContractViolation(`not an EventBridge event: ${envelope.error.message}`);
    const detail = safeParse(subscription.contract.detail, envelope.data.detail);
    const metadata = (envelope.data.detail as { metadata?: { eventId?: unknown; correlationId?: unknown } } | null)
      ?.metadata;
    const eventId = typeof metadata?.eventId === "string" ? metadata.eventId : envelope.data.id;
    const correlationId = typeof metadata?.correlationId === "string" ? metadata.correlationId : eventId;
    log.appendKeys({ correlationId, eventId, detailType: envelope.data["detail-type"] });
    try {
      if (!detail.success) {
        // Field paths only: values may be personal data.
        const paths = detail.error.issues.map((issue) => issue.path.join("."));
        log.error("event breaks its contract", { paths });
        throw new ContractViolation(`${envelope.data["detail-type"]} breaks its contract at ${paths.join(", ")}`);
      }
      try {
        await consume(detail.data, { envelope: envelope.data, eventId, correlationId, log });
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        const outcome = outcomes[error.refusal.kind];
        log.info("event refused", { refusal: error.refusal.kind, outcome });
        if (outcome === "ignore") return { consumed: eventId, ignored: error.refusal.kind };
        if (outcome === "retry") throw error;
        throw new EventRefused(`${envelope.data["detail-type"]} ${eventId}: ${error.message}`);
      }
      log.info("event consumed");
      return { consumed: eventId };
    } finally {
      log.removeKeys(["correlationId", "eventId", "detailType"]);
    }
  };

  return middy<unknown, ConsumedEvent>()
    .use(injectLambdaContext(log))
    .use(makeHandlerIdempotent({ persistenceStore, config }))
    .handler(core);
}
