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
import { tableNameFrom } from "./dynamo.ts";
import { createLogger } from "./logger.ts";
import type { SubscriptionSpec, TableSpec } from "./manifest.ts";

export interface EventContext {
  readonly envelope: EventEnvelope;
  readonly correlationId: string;
  readonly log: Logger;
}

/**
 * What a consumer returns. Never empty: Powertools idempotency replays the stored result of an
 * event seen before, and middy only short-circuits the handler when that result is a value.
 */
export interface ConsumedEvent {
  readonly consumed: string;
}

/** A detail that breaks its contract can never succeed: it is retried, then dead-lettered, and logged. */
export class ContractViolation extends Error {}

/**
 * Wraps an event consumer: validates the envelope and the detail against the subscription's
 * contract, and makes the whole invocation idempotent per event id (Powertools idempotency,
 * records kept in the service's own table), so a redelivered event changes nothing.
 * Any error propagates: the platform retries and finally dead-letters the event.
 */
export function eventHandler<Schema extends z.$ZodType>(
  subscription: SubscriptionSpec<{ source: string; detailType: string; detail: Schema }>,
  consume: (detail: z.output<Schema>, context: EventContext) => Promise<void>,
  options: { serviceName: string; table: TableSpec },
): (event: unknown, context: Context) => Promise<ConsumedEvent> {
  const log = createLogger(options.serviceName);
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: tableNameFrom(options.table.envVar),
    keyAttr: options.table.partitionKey,
    sortKeyAttr: options.table.sortKey,
    staticPkValue: `IDEMPOTENCY#${options.serviceName}#${subscription.name}`,
    expiryAttr: options.table.ttlAttribute,
  });
  const config = new IdempotencyConfig({ eventKeyJmesPath: "id", expiresAfterSeconds: 7 * 24 * 3600 });

  const core = async (event: unknown): Promise<ConsumedEvent> => {
    const envelope = EventEnvelope.safeParse(event);
    if (!envelope.success) throw new ContractViolation(`not an EventBridge event: ${envelope.error.message}`);
    const detail = safeParse(subscription.contract.detail, envelope.data.detail);
    const correlationIdRaw = (envelope.data.detail as { correlationId?: unknown } | null)?.correlationId;
    const correlationId = typeof correlationIdRaw === "string" ? correlationIdRaw : envelope.data.id;
    log.appendKeys({ correlationId, eventId: envelope.data.id, detailType: envelope.data["detail-type"] });
    try {
      if (!detail.success) {
        // Field paths only: values may be personal data.
        const paths = detail.error.issues.map((issue) => issue.path.join("."));
        log.error("event breaks its contract", { paths });
        throw new ContractViolation(`${envelope.data["detail-type"]} breaks its contract at ${paths.join(", ")}`);
      }
      await consume(detail.data, { envelope: envelope.data, correlationId, log });
      log.info("event consumed");
      return { consumed: envelope.data.id };
    } finally {
      log.removeKeys(["correlationId", "eventId", "detailType"]);
    }
  };

  return middy<unknown, ConsumedEvent>()
    .use(injectLambdaContext(log))
    .use(makeHandlerIdempotent({ persistenceStore, config }))
    .handler(core);
}
