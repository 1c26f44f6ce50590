import path from "node:path";
import {
  DEAD_LETTER_PREFIX_ENV,
  deadLetterQueueName,
  EVENT_BUS_ENV,
  type FunctionRuntime,
  OUTBOX_RELAY_CONSUMER,
  type ServiceManifest,
  type SubscriptionSpec,
} from "@cdp/lambda-kit";
import { ArnFormat, type CfnResource, Duration, Stack, type StackProps, Token, Validations } from "aws-cdk-lib";
import { HttpMethod, HttpRoute, HttpRouteKey } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";
import { ServiceAlarms } from "./alarms.ts";
import { DeadLetterQueue } from "./dead-letter-queue.ts";
import { EmailSender } from "./email-sender.ts";
import { EventSubscription } from "./event-subscription.ts";
import { OutboxRelay } from "./outbox-relay.ts";
import { ScheduledJob } from "./scheduled-job.ts";
import { ServiceBucket } from "./service-bucket.ts";
import { ServiceFunction, type ServiceFunctionProps } from "./service-function.ts";
import { ServiceTable } from "./service-table.ts";
import type { SharedResources } from "./shared-stack.ts";

type HandlerOptions = Pick<
  ServiceFunctionProps,
  "timeout" | "memorySize" | "asyncDeadLetterQueue" | "assets" | "nodeModules"
>;

export interface ServiceStackProps extends StackProps {
  readonly manifest: ServiceManifest;
  readonly shared: SharedResources;
  /** The SES domain notices are sent from, for services with e-mail-sending subscriptions. */
  readonly senderDomain: string;
  /** Deployment settings every handler of this service reads from its environment (see `serviceEnvironment`). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Every dead-letter queue's name starts with it (`deadLetterPrefixOf(stage)`). */
  readonly deadLetterPrefix: string;
}

/**
 * What a subscription's `runtime` changes for its function: more memory or time, files beside the bundle, packages
 * installed rather than bundled. Without one, the defaults. (A schedule has no `runtime` in the kit: a job asks for
 * heavy work with an event, as the monthly report does.)
 */
function runtimeOptions(runtime: FunctionRuntime | undefined, root: string, defaults: HandlerOptions): HandlerOptions {
  if (!runtime) return defaults;
  return {
    ...defaults,
    ...(runtime.memorySize !== undefined && { memorySize: runtime.memorySize }),
    ...(runtime.timeoutSeconds !== undefined && { timeout: Duration.seconds(runtime.timeoutSeconds) }),
    ...(runtime.assets && {
      assets: runtime.assets.map((asset) => ({ source: path.join(root, asset.path), envVar: asset.envVar })),
    }),
    ...(runtime.nodeModules && { nodeModules: runtime.nodeModules }),
  };
}

/** What a rule's description says it consumes: a read model's rule takes dozens, more than the 512 characters allow. */
function consumedEvents(subscription: SubscriptionSpec): string {
  const { contract, contracts } = subscription;
  return contracts.length > 1 ? `${contracts.length} events (${contract.detailType} and others)` : contract.detailType;
}

/**
 * One service, built from its manifest: its table (and bucket, if it has one), a function per route, subscription
 * and schedule, and the relay publishing its outbox. Each function may touch this service's table only, and only as
 * much as it needs; only the functions that declare it may read or write the bucket's files.
 */
export class ServiceStack extends Stack {
  readonly table: ServiceTable;
  readonly bucket?: ServiceBucket;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { manifest, shared } = props;
    const queueName = (consumer: string) => deadLetterQueueName(props.deadLetterPrefix, manifest.name, consumer);
    this.table = new ServiceTable(this, "Table", manifest.table);
    const tableLogicalId: string = this.resolve((this.table.node.defaultChild as CfnResource).logicalId);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
      reason:
        "Table grants reach the table's indexes through `<table ARN>/index/*`, which matches this table's own GSIs only.",
    });

    const bucket = manifest.bucket && new ServiceBucket(this, "Bucket", manifest.bucket);
    if (bucket) {
      const bucketLogicalId: string = this.resolve((bucket.bucket.node.defaultChild as CfnResource).logicalId);
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
        reason:
          "Bucket grants name `<bucket ARN>/*`, the files of this service's own bucket, with one object action each: GetObject to the routes that read it, PutObject to the functions that write it.",
      });
    }
    this.bucket = bucket;

    const common = { [EVENT_BUS_ENV]: shared.bus.eventBusName, POWERTOOLS_SERVICE_NAME: manifest.name };
    const handlerEnvironment = {
      ...props.environment,
      ...common,
      [manifest.table.envVar]: this.table.tableName,
      ...(bucket && { [bucket.envVar]: bucket.bucket.bucketName }),
    };
    const handlerFunction = (id: string, handler: string, description: string, options: HandlerOptions) =>
      new ServiceFunction(this, id, {
        entry: path.join(manifest.root, handler),
        description: `${manifest.name}: ${description}`,
        environment: handlerEnvironment,
        ...options,
      }).function;
    const bucketOf = (declares: boolean | undefined): ServiceBucket | undefined => {
      if (!declares) return undefined;
      if (!bucket) throw new Error(`${manifest.name}: a function declares access to a bucket the manifest lacks`);
      return bucket;
    };

    for (const route of manifest.routes) {
      // The HTTP API gives up on an integration after 30 s; a route should answer well before.
      const fn = handlerFunction(route.operationId, route.handler, `${route.method} ${route.path}`, {
        timeout: Duration.seconds(10),
      });
      if (route.access === "read") this.table.grantReadData(fn);
      else this.table.grantReadWriteData(fn);
      bucketOf(route.readsBucket)?.allowGet(fn);
      new HttpRoute(this, `${route.operationId}Route`, {
        httpApi: shared.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${route.operationId}Integration`, fn),
        authorizer: shared.authorizer,
      });
    }

    const sender = manifest.subscriptions.some((s) => s.sendsEmail)
      ? new EmailSender(this, "Sender", props.senderDomain)
      : undefined;

    for (const subscription of manifest.subscriptions) {
      const id = `On-${subscription.name}`;
      // One queue per consumer for both what the bus could not deliver and what the function failed on.
      const failures = new DeadLetterQueue(this, `${id}-Failures`, queueName(subscription.name));
      const fn = handlerFunction(
        id,
        subscription.handler,
        `on ${subscription.name}`,
        runtimeOptions(subscription.runtime, manifest.root, {
          timeout: Duration.seconds(30),
          asyncDeadLetterQueue: failures,
        }),
      );
      this.table.grantReadWriteData(fn);
      bucketOf(subscription.runtime?.writesBucket)?.allowPut(fn);
      if (subscription.sendsEmail && sender) sender.allow(fn);
      if (subscription.runtime?.readsDeadLetterQueues) this.allowDeadLetterCounts(fn, props.deadLetterPrefix);
      new EventSubscription(this, `${id}-Subscription`, {
        bus: shared.bus,
        ruleName: `${manifest.name}.${subscription.name}`,
        description: `${manifest.name} consumes ${consumedEvents(subscription)}`,
        pattern: subscription.pattern,
        handler: fn,
        deadLetterQueue: failures,
      });
      if (subscription.archivesHistory) {
        // No retention: the whole history, for a rebuild of the read models by a replay onto the rule above.
        new events.Archive(this, `${id}-History`, {
          sourceEventBus: shared.bus,
          description: `Every event ${manifest.name}.${subscription.name} consumes, kept for rebuilds`,
          eventPattern: {
            source: subscription.pattern.source as string[],
            detailType: subscription.pattern["detail-type"] as string[],
          },
        });
      }
    }

    for (const schedule of manifest.schedules) {
      const id = `Job-${schedule.name}`;
      const failures = new DeadLetterQueue(this, `${id}-Failures`, queueName(`job-${schedule.name}`));
      // Jobs go through a whole table to produce a report: give them minutes.
      const fn = handlerFunction(id, schedule.handler, schedule.description, {
        timeout: Duration.minutes(5),
        asyncDeadLetterQueue: failures,
      });
      this.table.grantReadWriteData(fn);
      new ScheduledJob(this, `${id}-Schedule`, {
        scheduleName: `${manifest.name}.${schedule.name}`,
        spec: schedule,
        handler: fn,
        deadLetterQueue: failures,
      });
    }

    const relay = new OutboxRelay(this, "Outbox", {
      serviceName: manifest.name,
      table: this.table,
      bus: shared.bus,
      environment: common,
      failuresQueueName: queueName(OUTBOX_RELAY_CONSUMER),
    });

    // Every function and every dead-letter queue of the stack, found rather than listed, so none is forgotten.
    const alarms = new ServiceAlarms(this, "Alarms", shared.alarmTopic);
    for (const construct of this.node.findAll()) {
      if (construct instanceof ServiceFunction) alarms.onFunction(construct.function, construct);
      if (construct instanceof DeadLetterQueue) alarms.onDeadLetters(construct, construct);
    }
    alarms.onIteratorAge(relay.function, relay.node.findChild("Relay"));
    for (const route of manifest.routes) {
      alarms.onRequestFailures(manifest.name, route.operationId, this.node.findChild(route.operationId));
    }
  }

  /**
   * Lets a function count what waits in every dead-letter queue of the stage: `ListQueues` by the queues' common
   * prefix (it takes no narrower resource than all), and `GetQueueAttributes` on the queues with that prefix only.
   */
  private allowDeadLetterCounts(fn: lambda.Function, prefix: string): void {
    fn.addEnvironment(DEAD_LETTER_PREFIX_ENV, prefix);
    // Lands in the role's one statement on all resources, X-Ray's, whose acknowledgment names ListQueues too.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["sqs:ListQueues"], resources: ["*"] }));
    const queues = this.formatArn({ service: "sqs", resource: `${prefix}*`, arnFormat: ArnFormat.NO_RESOURCE_NAME });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["sqs:GetQueueAttributes"], resources: [queues] }));
    // As cdk-nag writes the ARN: a pseudo parameter where the stack's environment is left to deployment, the value
    // where it is given (`cdk synth` with a configured region and account).
    const part = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const arn = `arn:${part(this.partition, "Partition")}:sqs:${part(this.region, "Region")}:${part(this.account, "AccountId")}`;
    Validations.of(fn.role ?? fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arn}:${prefix}*]`,
      reason:
        "The progress report reads the depth of every dead-letter queue of the stage, named by one prefix; GetQueueAttributes is its only action there.",
    });
  }
}
