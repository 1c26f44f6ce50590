import type { ScheduleSpec } from "@cdp/lambda-kit";
import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface ScheduledJobProps {
  /** `<service>.<schedule>`: the schedule's name, which the parity test reads back. */
  readonly scheduleName: string;
  readonly spec: ScheduleSpec;
  readonly handler: lambda.IFunction;
  /** Runs the scheduler could not hand to the function end here. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * An EventBridge Scheduler schedule invoking a service's job. The L1 resource is used because the L2 Lambda target
 * grants `lambda:InvokeFunction` on every version (`<arn>:*`) too; this role may invoke the one function only.
 */
export class ScheduledJob extends Construct {
  readonly schedule: scheduler.CfnSchedule;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
      description: `Runs ${props.scheduleName}`,
    });
    props.handler.grantInvokeLatestVersion(role);
    props.deadLetterQueue.grantSendMessages(role);

    this.schedule = new scheduler.CfnSchedule(this, "Schedule", {
      name: props.scheduleName,
      description: props.spec.description,
      scheduleExpression: props.spec.expression,
      scheduleExpressionTimezone: props.spec.timezone,
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: props.handler.functionArn,
        roleArn: role.roleArn,
        // The run's nominal time, so a late or retried run reports on the day it stands for.
        input: JSON.stringify({ scheduledTime: "<aws.scheduler.scheduled-time>" }),
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 6 * 60 * 60 },
        deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
      },
    });
    // A run due right after deployment must not find the role without its policy.
    this.schedule.node.addDependency(role);
  }
}
