import { fileURLToPath } from "node:url";
import { OUTBOX_STREAM_FILTER } from "@cdp/lambda-kit";
import { Duration, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as events from "aws-cdk-lib/aws-events";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import { Construct } from "constructs";
import { DeadLetterQueue } from "./dead-letter-queue.ts";
import { ServiceFunction } from "./service-function.ts";

/** The relay handler shared by every service: lambda-kit's, the one the local cloud's stream poller runs too. */
export const OUTBOX_RELAY_ENTRY = fileURLToPath(import.meta.resolve("@cdp/lambda-kit/outbox-relay"));

export interface OutboxRelayProps {
  readonly serviceName: string;
  readonly table: dynamodb.ITableV2;
  readonly bus: events.IEventBus;
  readonly environment: Readonly<Record<string, string>>;
  /** The name of the queue of batches the relay could not publish. */
  readonly failuresQueueName: string;
}

/**
 * Publishes a service's committed outbox items to the bus. It reads the table's stream, filtered to new outbox items,
 * and is the only function allowed to put events; it cannot read or write the table itself.
 */
export class OutboxRelay extends Construct {
  readonly function: lambda.IFunction;
  readonly failures: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: OutboxRelayProps) {
    super(scope, id);
    const relay = new ServiceFunction(this, "Relay", {
      entry: OUTBOX_RELAY_ENTRY,
      description: `${props.serviceName}: publishes outbox items to the bus`,
      environment: props.environment,
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    this.function = relay.function;
    props.bus.grantPutEventsTo(relay.function);

    // Batches still failing after the retries are recorded here (stream coordinates, not the items).
    this.failures = new DeadLetterQueue(this, "Failures", props.failuresQueueName);
    Validations.of(this.failures).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is the on-failure destination of the relay's stream mapping; the rule only recognises queues named in a redrive policy or a function's dead-letter config.",
    });

    relay.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(this.failures),
        filters: [lambda.FilterCriteria.filter(OUTBOX_STREAM_FILTER)],
      }),
    );
  }
}
