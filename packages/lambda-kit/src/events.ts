import { EventEnvelope } from "@cdp/contracts";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type * as z from "zod/v4/core";
import { safeParse } from "zod/v4/core";
import { DEFAULT_REFUSAL_OUTCOMES, type Refusal, type RefusalOutcome, Refused } from "./decision.ts";
import { createDocumentClient, tableNameFrom } from "./dynamo.ts";
import { EventInProgress, IdempotencyStore } from "./idempotency.ts";
import type { Logger } from "./logger.ts";
import { createLogger, injectLambdaContext } from "./logger.ts";
import type { SubscriptionSpec, TableSpec } from "./manifest.ts";
import { FunctionMetrics, METRIC } from "./metrics.ts";

export interface EventContext {
  readonly envelope: EventEnvelope;
  /** The event's own identity (`detail.metadata.eventId`): the same across relay retries and replays. */
  readonly eventId: string;
  readonly correlationId: string;
  readonly log: Logger;
}

/** What a consumer returns; a redelivery of the same event gets the stored one back. */
export interface ConsumedEvent {
  readonly consumed: string;
  /** Set when the event was refused and, by the consumer's policy, ignored. */
  readonly ignored?: Refusal["kind"];
}

/**
 * How long a consumer remembers an event it acted on. Longer than the bus archive keeps events (30
 * days) and the dead-letter queues keep messages (14 days), so no replay or redrive can act twice.
 */
export const IDEMPOTENCY_RETENTION_DAYS = 35;

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
 * contract, and makes the whole invocation idempotent per event (keyed on `detail.metadata.eventId`,
 * records kept in the service's own table: see idempotency.ts), so a redelivered, retried or
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
  const idempotency = new IdempotencyStore<ConsumedEvent>(
    createDocumentClient(),
    tableNameFrom(options.table.envVar),
    options.table,
    `${options.serviceName}#${subscription.name}`,
    { expiresAfterSeconds: IDEMPOTENCY_RETENTION_DAYS * 24 * 3600 },
  );
  const metrics = new FunctionMetrics(options.serviceName, { subscription: subscription.name });

  /** Acts on a valid event: a refusal is ignored (a result) or thrown, by the consumer's policy. */
  const consumeOnce = async (detail: z.output<Schema>, context: EventContext): Promise<ConsumedEvent> => {
    try {
      await consume(detail, context);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      const outcome = outcomes[error.refusal.kind];
      log.info("event refused", { refusal: error.refusal.kind, outcome });
      metrics.countBy(METRIC.eventRefused, { refusal: error.refusal.kind, outcome });
      if (outcome === "ignore") return { consumed: context.eventId, ignored: error.refusal.kind };
      if (outcome === "retry") throw error;
      throw new EventRefused(`${context.envelope["detail-type"]} ${context.eventId}: ${error.message}`);
    }
    log.info("event consumed");
    return { consumed: context.eventId };
  };

  const core = async (event: unknown, lambda: Context): Promise<ConsumedEvent> => {
    const envelope = EventEnvelope.safeParse(event);
    if (!envelope.success) throw new ContractViolation(`not an EventBridge event: ${envelope.error.message}`);
    // A consumer of several events checks each against its own contract; one of a single event, against that one.
    const contract =
      subscription.contracts.length > 1
        ? subscription.contracts.find(
            (candidate) =>
              candidate.detailType === envelope.data["detail-type"] && candidate.source === envelope.data.source,
          )
        : subscription.contract;
    if (!contract) {
      throw new ContractViolation(
        `${envelope.data.source} ${envelope.data["detail-type"]} is not consumed by ${subscription.name}`,
      );
    }
    const detail = safeParse(contract.detail, envelope.data.detail);
    const metadata = (envelope.data.detail as { metadata?: { eventId?: unknown; correlationId?: unknown } } | null)
      ?.metadata;
    const eventId = typeof metadata?.eventId === "string" ? metadata.eventId : envelope.data.id;
    const correlationId = typeof metadata?.correlationId === "string" ? metadata.correlationId : eventId;
    const detailType = envelope.data["detail-type"];
    log.appendKeys({ correlationId, eventId, detailType });
    try {
      if (!detail.success) {
        // Field paths only: values may be personal data.
        const paths = detail.error.issues.map((issue) => issue.path.join("."));
        log.error("event breaks its contract", { paths });
        throw new ContractViolation(`${detailType} breaks its contract at ${paths.join(", ")}`);
      }
      const claim = await idempotency.claim(eventId, lambda.getRemainingTimeInMillis());
      if (claim.status === "completed") {
        log.info("event seen before: its stored result is returned, nothing is done again");
        metrics.count(METRIC.eventDuplicate);
        return claim.result;
      }
      if (claim.status === "in-progress") {
        log.info("event is being consumed by another invocation: retried later");
        throw new EventInProgress(`${detailType} ${eventId} is being consumed by another invocation`);
      }
      let result: ConsumedEvent;
      try {
        // The contract checked is the subscription's own (or, for several, the one of this detail-type).
        const parsed = detail.data as z.output<Schema>;
        result = await consumeOnce(parsed, { envelope: envelope.data, eventId, correlationId, log });
      } catch (error) {
        await idempotency.release(eventId).catch((releaseError: unknown) => {
          // The claim then lapses with this invocation's time, and the retry after that acts.
          log.warn("could not release the claim on a failed event", releaseError as Error);
        });
        throw error;
      }
      metrics.count(METRIC.eventConsumed);
      // The work is done: failing the invocation now would only make a retry do it again once the claim lapses.
      await idempotency.complete(eventId, result).catch((completeError: unknown) => {
        log.warn("could not record a consumed event as completed", completeError as Error);
      });
      return result;
    } finally {
      log.removeKeys(["correlationId", "eventId", "detailType"]);
    }
  };

  return middy<unknown, ConsumedEvent>()
    .use(injectLambdaContext(log))
    .handler((event, lambda) =>
      metrics.around(async () => {
        try {
          return await core(event, lambda);
        } catch (error) {
          // A redelivery arriving while the first delivery works is no failure: it is retried and then seen done.
          if (!(error instanceof EventInProgress)) metrics.count(METRIC.eventFailed);
          throw error;
        }
      }),
    );
}
