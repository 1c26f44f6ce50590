import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface EventSubscriptionProps {
  readonly bus: events.IEventBus;
  /** `<service>.<subscription>`: the rule's name, which the parity test reads back. */
  readonly ruleName: string;
  readonly description: string;
  /** The manifest's pattern, in EventBridge's own JSON keys (`detail-type`). */
  readonly pattern: Readonly<Record<string, unknown>>;
  readonly handler: lambda.IFunction;
  /** Events the bus could not deliver to the function end here. */
  readonly deadLetterQueue: sqs.IQueue;
}

/** A rule on the shared bus that delivers the manifest's events to a service's consumer. */
export class EventSubscription extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: EventSubscriptionProps) {
    super(scope, id);
    this.rule = new events.Rule(this, "Rule", {
      eventBus: props.bus,
      ruleName: props.ruleName,
      description: props.description,
      eventPattern: toEventPattern(props.pattern),
      targets: [
        new targets.LambdaFunction(props.handler, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 10,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }
}

/**
 * The CDK spells the one hyphenated top-level field of a pattern `detailType` and writes it back as `detail-type`;
 * every other field passes through untouched. The parity test checks the rendered pattern equals the manifest's.
 * (The manifest holds plain EventBridge JSON, which the CDK's `EventPattern` type describes only in part.)
 */
export function toEventPattern(pattern: Readonly<Record<string, unknown>>): events.EventPattern {
  const { "detail-type": detailType, ...rest } = pattern;
  return (detailType === undefined ? rest : { ...rest, detailType }) as events.EventPattern;
}
