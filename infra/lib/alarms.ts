import { METRIC, METRICS_NAMESPACE } from "@cdp/lambda-kit/metrics";
import { Duration, Stack, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct, type IConstruct } from "constructs";

/**
 * The one topic every alarm of the platform goes to, in the shared stack. Its subscribers are e-mail addresses from
 * the CDK context (`alarmEmails`); each confirms its subscription from the first message AWS sends it.
 */
export class AlarmTopic extends sns.Topic {
  constructor(scope: Construct, id: string, emails: readonly string[]) {
    super(scope, id, { displayName: "City Diplomacy alarms", enforceSSL: true });
    for (const email of emails) this.addSubscription(new EmailSubscription(email));
    Validations.of(this).acknowledge({
      id: "AwsSolutions-SNS2",
      reason:
        "Alarm notices carry alarm names, metric names and thresholds only, never personal data; CloudWatch cannot publish to a topic under the AWS-managed SNS key, and a customer-managed key would cost more than the whole idle platform.",
    });
  }
}

/** How soon each alarm speaks: every one fires on the first sign, since each means something needs a person. */
const FIVE_MINUTES = Duration.minutes(5);
/** The relay normally publishes within a second or two; a minute behind for five minutes means it is stuck. */
export const RELAY_MAX_ITERATOR_AGE = Duration.minutes(1);

/**
 * Alarms of one service stack, each with its alarm and OK actions on the platform's topic. Names read
 * `<stack> <construct>: <what>`, so a notice says where to look without opening the console.
 */
export class ServiceAlarms extends Construct {
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, topic: sns.ITopic) {
    super(scope, id);
    this.action = new SnsAction(topic);
  }

  /** Where a construct sits in its stack (`On-visit-confirmed`, `Outbox/Relay`). */
  private nameOf(target: IConstruct, what: string): string {
    const stack = Stack.of(this);
    return `${stack.stackName} ${target.node.path.slice(stack.node.path.length + 1)}: ${what}`;
  }

  private alarm(
    id: string,
    target: IConstruct,
    what: string,
    props: Omit<cloudwatch.AlarmProps, "alarmName" | "treatMissingData">,
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      alarmName: this.nameOf(target, what),
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }

  /** Any message in a dead-letter queue is an event, a run or a batch that failed for good and waits for a person. */
  onDeadLetters(queue: sqs.IQueue, target: IConstruct): cloudwatch.Alarm {
    return this.alarm(`${idOf(target)}-DeadLetters`, target, "dead letters", {
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: "Maximum" }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: `Messages wait in ${queue.node.path}: failed deliveries to inspect and redrive.`,
    });
  }

  /** An invocation that threw or timed out, and one Lambda refused for want of concurrency. */
  onFunction(fn: lambda.IFunction, target: IConstruct): cloudwatch.Alarm[] {
    const common = {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    };
    return [
      this.alarm(`${idOf(target)}-Errors`, target, "errors", {
        ...common,
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
        alarmDescription: `${fn.node.path} failed (threw or timed out): see its log group.`,
      }),
      this.alarm(`${idOf(target)}-Throttles`, target, "throttles", {
        ...common,
        metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: "Sum" }),
        alarmDescription: `${fn.node.path} was throttled: the account's Lambda concurrency is exhausted.`,
      }),
    ];
  }

  /**
   * A route that answered 500: the kit turns the failure into a problem+json answer, so Lambda counts no
   * error; the kit's own metric (`RequestFailed`, by service and operation) says it instead.
   */
  onRequestFailures(service: string, operation: string, target: IConstruct): cloudwatch.Alarm {
    return this.alarm(`${idOf(target)}-RequestFailed`, target, "requests failed", {
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC.requestFailed,
        dimensionsMap: { service, operation },
        period: FIVE_MINUTES,
        statistic: "Sum",
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: `${operation} answered 500 (failed on our side): see its log group for "request failed".`,
    });
  }

  /** The relay falling behind its stream: events are committed but not published. */
  onIteratorAge(fn: lambda.IFunction, target: IConstruct): cloudwatch.Alarm {
    return this.alarm(`${idOf(target)}-IteratorAge`, target, "iterator age", {
      metric: fn.metric("IteratorAge", { period: Duration.minutes(1), statistic: "Maximum" }),
      threshold: RELAY_MAX_ITERATOR_AGE.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      alarmDescription: `${fn.node.path} has been more than a minute behind the table's stream for five minutes: committed events are not reaching the bus.`,
    });
  }
}

/** A construct id usable inside another: `Outbox/Relay` → `Outbox-Relay`. */
function idOf(target: IConstruct): string {
  const stack = Stack.of(target);
  return target.node.path.slice(stack.node.path.length + 1).replaceAll("/", "-");
}
