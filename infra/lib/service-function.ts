import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LAMBDA_BUNDLE } from "@cdp/lambda-kit/bundling";
import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { type ICommandHooks, NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Where Lambda unpacks the function's code, bundle and copied files alike. */
export const LAMBDA_TASK_ROOT = "/var/task";

/** A file the function reads at run time, copied beside its bundle. */
export interface FunctionAsset {
  /** Absolute path of the file, inside the repository; it must exist when the function is bundled. */
  readonly source: string;
  /** The variable through which the function learns where the copy is: `/var/task/<file name>`. */
  readonly envVar: string;
}

export interface ServiceFunctionProps {
  /** Absolute path of the module exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySize?: number;
  /** For functions invoked asynchronously (rules, schedules): where invocations still failing after retries go. */
  readonly asyncDeadLetterQueue?: sqs.IQueue;
  /** Files copied beside the bundle, each named to the function by its variable. */
  readonly assets?: readonly FunctionAsset[];
  /** Packages left out of the bundle and installed beside it (those that break when bundled). */
  readonly nodeModules?: readonly string[];
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
    const assets = props.assets ?? [];
    // Without bundling (`cdk synth --exclusively`, most tests) nothing is copied, so nothing needs to exist yet.
    if (Stack.of(this).bundlingRequired) assertAssetsExist(this.node.path, assets);

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
      environment: {
        ...props.environment,
        ...Object.fromEntries(assets.map((asset) => [asset.envVar, assetPathAtRunTime(asset)])),
        NODE_OPTIONS: "--enable-source-maps",
      },
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
        ...(props.nodeModules && props.nodeModules.length > 0 && { nodeModules: [...props.nodeModules] }),
        ...(assets.length > 0 && { commandHooks: copyingAfterBundling(assets) }),
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
        "Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, and counting dead letters needs sqs:ListQueues (the report function only), which grant on no narrower resource than all.",
    });
  }
}

const assetPathAtRunTime = (asset: FunctionAsset): string =>
  path.posix.join(LAMBDA_TASK_ROOT, path.basename(asset.source));

function assertAssetsExist(functionPath: string, assets: readonly FunctionAsset[]): void {
  for (const asset of assets) {
    if (!existsSync(asset.source)) {
      throw new Error(
        `${functionPath}: ${path.relative(REPO_ROOT, asset.source)} is missing, and the function's bundle needs it (${asset.envVar}); build it first (the reports font: \`pnpm --filter @cdp/reports fonts\`).`,
      );
    }
  }
  const names = assets.map((asset) => path.basename(asset.source));
  const clash = names.find((name, index) => names.indexOf(name) !== index);
  if (clash) throw new Error(`${functionPath}: two assets are named ${clash}; both would be copied to the same file.`);
}

const shellQuoted = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Copies each asset into the bundle's folder once esbuild is done. The source is named from `inputDir`, the
 * repository root as the bundler sees it (the checkout locally, `/asset-input` in the Docker image).
 */
function copyingAfterBundling(assets: readonly FunctionAsset[]): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) =>
      assets.map((asset) => {
        const source = path.posix.join(inputDir, path.relative(REPO_ROOT, asset.source).split(path.sep).join("/"));
        return `cp ${shellQuoted(source)} ${shellQuoted(path.posix.join(outputDir, path.basename(asset.source)))}`;
      }),
  };
}
