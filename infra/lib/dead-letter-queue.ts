import { Duration } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";

/**
 * Where failed deliveries wait to be inspected and redriven: encrypted, TLS only, kept the SQS maximum of 14 days.
 * Named by the kit's `deadLetterQueueName`, so one prefix lists every dead-letter queue of a stage, and the
 * progress report can count them without a list of them.
 */
export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, queueName: string) {
    super(scope, id, {
      queueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }
}
