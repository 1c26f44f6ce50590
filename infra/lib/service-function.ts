import path from "node:path";
import { fileURLToPath } from "node:url";
import { LAMBDA_BUNDLE } from "@cdp/lambda-kit/bundling";
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ServiceFunctionProps {
  /** Absolute path of the module exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySize?: number;
  /** For functions invoked asynchronously (rules, schedules): where invocations still failing after retries go. */
  readonly asyncDeadLetterQueue?: sqs.IQueue;
}

/**
 * One Lambda function of a service: Node 24 on ARM, bundled ESM with the AWS SDK inside (the version we tested with,
 * not the runtime's), traced by X-Ray, its own log group with a retention, and its own role that can write to that
 * log group (and send traces) only. Every other permission is granted by the caller.
 */
export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, "Logs", {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of AWSLambdaBasicExecutionRole, whose logs:* rights reach every log group of the account.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: props.description,
    });
    logGroup.grant(this.role, "logs:CreateLogStream", "logs:PutLogEvents");

    this.function = new NodejsFunction(this, "Function", {
      entry: props.entry,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      // Active tracing: sampled invocations appear in X-Ray with their init and invocation phases, joined to the
      // API's and the bus's traces. (No X-Ray SDK in the bundle: it would cost more than the 350 KB aim allows.)
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...props.environment, NODE_OPTIONS: "--enable-source-maps" },
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, "pnpm-lock.yaml"),
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        banner: LAMBDA_BUNDLE.banner,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourcemap,
        sourcesContent: LAMBDA_BUNDLE.sourcesContent,
        externalModules: [],
        esbuildArgs: {
          "--legal-comments": LAMBDA_BUNDLE.legalComments,
          "--charset": LAMBDA_BUNDLE.charset,
          ...Object.fromEntries(Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => [`--alias:${from}`, to])),
        },
      },
      ...(props.asyncDeadLetterQueue && {
        deadLetterQueue: props.asyncDeadLetterQueue,
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      }),
    });
    Validations.of(this.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray grants on no narrower resource than all.",
    });
  }
}
