import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ALL_ROLES } from "@cdp/contracts";
import { DEAD_LETTER_PREFIX_ENV, EVENT_BUS_ENV } from "@cdp/lambda-kit";
import { OUTBOX_STREAM_FILTER } from "@cdp/lambda-kit/outbox-relay";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_RECIPIENTS_ENV } from "../lib/config.ts";
import { NONCURRENT_VERSION_DAYS } from "../lib/service-bucket.ts";
import { LAMBDA_TASK_ROOT } from "../lib/service-function.ts";
import type { ServiceStack } from "../lib/service-stack.ts";
import { BUS_NAME } from "../lib/shared-stack.ts";
import { services as manifests } from "../services.ts";
import {
  type functionsOf,
  logicalIdOf,
  type SynthesizedPlatform,
  serviceUnderTest,
  statementsOf,
  synthesizePlatform,
  TEST_CONFIG,
  templateOf,
} from "./synthesize.ts";

let platform: SynthesizedPlatform;
/** The service whose functions are bundled here: its handlers' settings are every function's. */
const BUNDLED = "notifications";
beforeAll(() => {
  platform = synthesizePlatform({ bundle: [`cdp-${TEST_CONFIG.stage}-${BUNDLED}`] });
});
afterAll(() => platform?.dispose());

const getAtt = (logicalId: string, attribute: string) => ({ "Fn::GetAtt": [logicalId, attribute] });
const objectsOf = (bucketId: string) => ({ "Fn::Join": ["", [getAtt(bucketId, "Arn"), "/*"]] });

describe("shared stack", () => {
  let template: Template;
  beforeAll(() => {
    template = templateOf(platform.shared);
  });

  it("has the one event bus, archived", () => {
    template.hasResourceProperties("AWS::Events::EventBus", { Name: BUS_NAME });
    template.resourceCountIs("AWS::Events::Archive", 1);
  });

  it("lets the configured front ends call the API from a browser", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "HTTP",
      CorsConfiguration: Match.objectLike({
        AllowOrigins: TEST_CONFIG.allowedOrigins,
        AllowHeaders: Match.arrayWith(["authorization", "if-match"]),
      }),
    });
  });

  it("logs every request of the API stage", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp("requestId") },
    });
  });

  it("has a user pool with MFA and a group per role, and a JWT authorizer trusting it", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      MfaConfiguration: "ON",
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    const groups = Object.values(template.findResources("AWS::Cognito::UserPoolGroup"));
    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual([...ALL_ROLES].sort());
    const userPool = logicalIdOf(platform.shared.userPool);
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      IdentitySource: ["$request.header.Authorization"],
      JwtConfiguration: {
        Issuer: getAtt(userPool, "ProviderURL"),
        Audience: [{ Ref: logicalIdOf(platform.shared.webClient) }],
      },
    });
  });
});

describe.each(manifests.map((manifest, index) => ({ name: manifest.name, manifest, index })))(
  "service stack $name",
  ({ manifest, index }) => {
    let template: Template;
    let tableId: string;
    let fns: ReturnType<typeof functionsOf>;
    beforeAll(() => {
      ({ template, tableId, fns } = serviceUnderTest(platform, index, manifest));
    });
    const functionResource = (logicalId: string) => template.findResources("AWS::Lambda::Function")[logicalId];

    it("has the manifest's table: on demand, recoverable, protected, streamed, expiring", () => {
      template.resourceCountIs("AWS::DynamoDB::GlobalTable", 1);
      template.hasResource("AWS::DynamoDB::GlobalTable", {
        DeletionPolicy: "Retain",
        Properties: Match.objectLike({
          BillingMode: "PAY_PER_REQUEST",
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
          GlobalSecondaryIndexes: manifest.table.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: "HASH" },
              { AttributeName: index.sortKey, KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          })),
          StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
          TimeToLiveSpecification: { AttributeName: manifest.table.ttlAttribute, Enabled: true },
          Replicas: [
            Match.objectLike({
              DeletionProtectionEnabled: true,
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            }),
          ],
        }),
      });
    });

    it("runs every function on Node 24 and ARM, with the service's variables and its own log group", () => {
      const all = Object.values(template.findResources("AWS::Lambda::Function"));
      const expected = manifest.routes.length + manifest.subscriptions.length + manifest.schedules.length + 1;
      expect(all).toHaveLength(expected);
      for (const fn of all) {
        expect(fn.Properties).toMatchObject({
          Runtime: "nodejs24.x",
          Architectures: ["arm64"],
          Environment: {
            Variables: { [EVENT_BUS_ENV]: expect.anything(), POWERTOOLS_SERVICE_NAME: manifest.name },
          },
        });
        expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe("--enable-source-maps");
        expect(fn.Properties.LoggingConfig.LogGroup.Ref).toBeDefined();
      }
      template.resourceCountIs("AWS::Logs::LogGroup", expected);
      template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
    });

    it("gives handlers the table's name (and the bucket's, if any) and the relay not", () => {
      const bucket = platform.services[index]?.bucket;
      const bucketRef = bucket && { Ref: logicalIdOf(bucket.bucket) };
      for (const { handler } of [...fns.routes, ...fns.subscriptions, ...fns.schedules]) {
        const fn = functionResource(logicalIdOf(handler.function));
        expect(fn?.Properties.Environment.Variables[manifest.table.envVar]).toEqual({ Ref: tableId });
        if (manifest.bucket) expect(fn?.Properties.Environment.Variables[manifest.bucket.envVar]).toEqual(bucketRef);
      }
      const relay = functionResource(logicalIdOf(fns.relay.function));
      expect(relay?.Properties.Environment.Variables[manifest.table.envVar]).toBeUndefined();
      if (manifest.bucket) expect(relay?.Properties.Environment.Variables[manifest.bucket.envVar]).toBeUndefined();
    });

    it("has the manifest's bucket and its access-log bucket, or no bucket at all", () => {
      const buckets = template.findResources("AWS::S3::Bucket");
      const stack = platform.services[index] as ServiceStack;
      if (!manifest.bucket || !stack.bucket) {
        expect(manifest.bucket).toBeUndefined();
        expect(buckets).toEqual({});
        return;
      }
      const bucketId = logicalIdOf(stack.bucket.bucket);
      const logsId = logicalIdOf(stack.bucket.accessLogs);
      expect(Object.keys(buckets).sort()).toEqual([bucketId, logsId].sort());
      // Both: kept on stack deletion, all four public-access blocks, S3-managed encryption, no ACLs, TLS only.
      for (const id of [bucketId, logsId]) {
        expect(buckets[id], id).toMatchObject({
          DeletionPolicy: "Retain",
          UpdateReplacePolicy: "Retain",
          Properties: {
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              BlockPublicPolicy: true,
              IgnorePublicAcls: true,
              RestrictPublicBuckets: true,
            },
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
            },
            OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
          },
        });
        template.hasResourceProperties("AWS::S3::BucketPolicy", {
          Bucket: { Ref: id },
          PolicyDocument: {
            Statement: Match.arrayWith([
              {
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "s3:*",
                Resource: [getAtt(id, "Arn"), objectsOf(id)],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ]),
          },
        });
      }
      expect(buckets[bucketId]?.Properties).toMatchObject({
        VersioningConfiguration: { Status: "Enabled" },
        LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: "access/" },
        LifecycleConfiguration: {
          Rules: [
            {
              Status: "Enabled",
              ExpirationInDays: manifest.bucket.expireAfterDays,
              NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_VERSION_DAYS },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            },
            { Status: "Enabled", ExpiredObjectDeleteMarker: true },
          ],
        },
      });
      // The access logs are written by S3's log delivery, from this bucket and this account only.
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: logsId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Allow",
              Principal: { Service: "logging.s3.amazonaws.com" },
              Action: "s3:PutObject",
              Condition: Match.objectLike({ ArnLike: { "aws:SourceArn": getAtt(bucketId, "Arn") } }),
            }),
          ]),
        },
      });
      expect(buckets[logsId]?.Properties.LoggingConfiguration).toBeUndefined();
    });

    it("sizes each subscription's function by its runtime, else by the defaults, with its files' paths", () => {
      for (const { subscription, handler } of fns.subscriptions) {
        const fn = functionResource(logicalIdOf(handler.function));
        const runtime = subscription.runtime;
        expect(fn?.Properties.MemorySize, subscription.name).toBe(runtime?.memorySize ?? 512);
        expect(fn?.Properties.Timeout, subscription.name).toBe(runtime?.timeoutSeconds ?? 30);
        for (const asset of runtime?.assets ?? []) {
          expect(fn?.Properties.Environment.Variables[asset.envVar]).toBe(
            `${LAMBDA_TASK_ROOT}/${path.basename(asset.path)}`,
          );
        }
      }
    });

    it("routes each manifest route to its function behind the JWT authorizer", () => {
      template.resourceCountIs("AWS::ApiGatewayV2::Route", fns.routes.length);
      for (const { route, handler } of fns.routes) {
        const integrations = template.findResources("AWS::ApiGatewayV2::Integration", {
          Properties: { IntegrationUri: getAtt(logicalIdOf(handler.function), "Arn") },
        });
        const [integrationId] = Object.keys(integrations);
        expect(integrationId, route.operationId).toBeDefined();
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
          RouteKey: `${route.method} ${route.path}`,
          AuthorizationType: "JWT",
          AuthorizerId: Match.anyValue(),
          Target: { "Fn::Join": ["", ["integrations/", { Ref: integrationId }]] },
        });
      }
    });

    it("delivers each subscription through a rule with retries and a dead-letter queue", () => {
      for (const { subscription, handler } of fns.subscriptions) {
        const fnId = logicalIdOf(handler.function);
        const rule = Object.values(
          template.findResources("AWS::Events::Rule", {
            Properties: { Name: `${manifest.name}.${subscription.name}` },
          }),
        )[0];
        const [target] = rule?.Properties.Targets ?? [];
        expect(target).toMatchObject({
          Arn: getAtt(fnId, "Arn"),
          RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
          DeadLetterConfig: { Arn: { "Fn::GetAtt": [expect.any(String), "Arn"] } },
        });
        const queueId: string = target.DeadLetterConfig.Arn["Fn::GetAtt"][0];
        expect(template.findResources("AWS::SQS::Queue")[queueId]?.Properties.SqsManagedSseEnabled).toBe(true);
        // The function's own asynchronous retries end in the same queue.
        expect(functionResource(fnId)?.Properties.DeadLetterConfig).toEqual({ TargetArn: getAtt(queueId, "Arn") });
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
          FunctionName: { Ref: fnId },
          MaximumRetryAttempts: 2,
        });
      }
    });

    it("every queue is encrypted and refuses unencrypted transport", () => {
      template.allResourcesProperties("AWS::SQS::Queue", { SqsManagedSseEnabled: true });
      const queues = Object.keys(template.findResources("AWS::SQS::Queue"));
      for (const queueId of queues) {
        template.hasResourceProperties("AWS::SQS::QueuePolicy", {
          Queues: [{ Ref: queueId }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
            ]),
          },
        });
      }
    });

    it("runs each schedule in its time zone, with the scheduled time, retries and a dead-letter queue", () => {
      for (const { schedule, handler } of fns.schedules) {
        const schedules = template.findResources("AWS::Scheduler::Schedule", {
          Properties: { Name: `${manifest.name}.${schedule.name}` },
        });
        const found = Object.values(schedules)[0];
        expect(found?.Properties).toMatchObject({
          ScheduleExpression: schedule.expression,
          ScheduleExpressionTimezone: schedule.timezone,
          Target: {
            Arn: getAtt(logicalIdOf(handler.function), "Arn"),
            Input: JSON.stringify({ scheduledTime: "<aws.scheduler.scheduled-time>" }),
            RetryPolicy: { MaximumRetryAttempts: expect.any(Number) },
            DeadLetterConfig: { Arn: expect.anything() },
          },
        });
        // The scheduler's role may invoke this one function, and put failures in its queue: nothing else.
        const roleId: string = found?.Properties.Target.RoleArn["Fn::GetAtt"][0];
        const statements = statementsOf(template, roleId);
        expect(statements.flatMap((s) => s.Action)).toEqual(
          expect.arrayContaining(["lambda:InvokeFunction", "sqs:SendMessage"]),
        );
        const invoke = statements.find((s) => s.Action === "lambda:InvokeFunction");
        const functionArn = getAtt(logicalIdOf(handler.function), "Arn");
        expect(invoke?.Resource).toHaveLength(2);
        expect(invoke?.Resource).toEqual(
          expect.arrayContaining([functionArn, { "Fn::Join": ["", [functionArn, ":$LATEST"]] }]),
        );
      }
    });

    it("relays new outbox items from the table's stream, filtered, with batch failures and an on-failure queue", () => {
      const relayId = logicalIdOf(fns.relay.function);
      template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
      const mapping = Object.values(template.findResources("AWS::Lambda::EventSourceMapping"))[0];
      expect(mapping?.Properties).toMatchObject({
        FunctionName: { Ref: relayId },
        EventSourceArn: getAtt(tableId, "StreamArn"),
        StartingPosition: "TRIM_HORIZON",
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        MaximumRetryAttempts: expect.any(Number),
        DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [expect.any(String), "Arn"] } } },
      });
      const filters: { Pattern: string }[] = mapping?.Properties.FilterCriteria.Filters;
      expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([OUTBOX_STREAM_FILTER]);
    });
  },
);

describe("the reports service", () => {
  const index = manifests.findIndex((manifest) => manifest.name === "reports");
  let template: Template;
  let fns: ReturnType<typeof functionsOf>;
  beforeAll(() => {
    ({ template, fns } = serviceUnderTest(platform, index, manifests[index] as (typeof manifests)[number]));
  });
  const variablesOf = (fn: { function: Parameters<typeof logicalIdOf>[0] }) =>
    template.findResources("AWS::Lambda::Function")[logicalIdOf(fn.function)]?.Properties.Environment.Variables;

  it("is on the platform, with its bucket", () => {
    expect(index).toBeGreaterThanOrEqual(0);
    template.resourceCountIs("AWS::S3::Bucket", 2);
  });

  it("gives the report function a full vCPU's memory, five minutes, and the font beside its bundle", () => {
    const generate = fns.subscriptions.find(({ subscription }) => subscription.name === "generate-report")?.handler;
    if (!generate) throw new Error("no generate-report function");
    const fn = template.findResources("AWS::Lambda::Function")[logicalIdOf(generate.function)];
    expect(fn?.Properties).toMatchObject({ MemorySize: 1769, Timeout: 300 });
    expect(variablesOf(generate)).toMatchObject({
      REPORT_FONT_PATH: "/var/task/NotoSansJP-Regular-JIS.ttf",
      SENDER_ADDRESS: expect.stringMatching(/^city-diplomacy@/),
    });
  });

  it("hands every handler the configured distribution list", () => {
    const expected = TEST_CONFIG.reportRecipients?.join(",");
    expect(expected).toContain("@");
    for (const { handler } of [...fns.routes, ...fns.subscriptions, ...fns.schedules]) {
      expect(variablesOf(handler)?.[REPORT_RECIPIENTS_ENV], handler.node.path).toBe(expected);
    }
  });

  it("asks for the monthly report at 06:00 on the 1st, Tokyo time", () => {
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      Name: "reports.monthly-progress-report",
      ScheduleExpression: "cron(0 6 1 * ? *)",
      ScheduleExpressionTimezone: "Asia/Tokyo",
    });
  });

  it("archives every event its read models are built from, without end, for a rebuild", () => {
    const projected = manifests[index]?.subscriptions.find((subscription) => subscription.archivesHistory);
    expect(projected?.contracts.length).toBeGreaterThan(20);
    const archives = Object.values(template.findResources("AWS::Events::Archive"));
    expect(archives).toHaveLength(1);
    // 0: kept without end (the bus-wide archive keeps 30 days).
    expect(archives[0]?.Properties.RetentionDays ?? 0).toBe(0);
    expect(archives[0]?.Properties.EventPattern).toEqual({
      source: projected?.pattern.source,
      "detail-type": projected?.pattern["detail-type"],
    });
  });

  it("lets the report function count the stage's dead-letter queues, and read nothing else of theirs", () => {
    const generate = fns.subscriptions.find(({ subscription }) => subscription.name === "generate-report")?.handler;
    if (!generate) throw new Error("no generate-report function");
    expect(variablesOf(generate)?.[DEAD_LETTER_PREFIX_ENV]).toBe(`cdp-${TEST_CONFIG.stage}-dlq-`);
    const statements = Object.values(template.findResources("AWS::IAM::Policy")).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    // Beside the grants to send to its own queues: listing, and the prefix's queues' attributes.
    const sqsReads = statements.filter((statement) => /ListQueues|dlq-\*/.test(JSON.stringify(statement)));
    expect(sqsReads).toEqual([
      // CDK merges it into the role's one statement on all resources (X-Ray's).
      expect.objectContaining({ Action: expect.arrayContaining(["sqs:ListQueues"]), Resource: "*" }),
      expect.objectContaining({
        Action: "sqs:GetQueueAttributes",
        Resource: {
          "Fn::Join": [
            "",
            [
              "arn:",
              { Ref: "AWS::Partition" },
              ":sqs:",
              { Ref: "AWS::Region" },
              ":",
              { Ref: "AWS::AccountId" },
              `:cdp-${TEST_CONFIG.stage}-dlq-*`,
            ],
          ],
        },
      }),
    ]);
    // No other function of the platform may list queues.
    for (const stack of platform.services.filter((_, i) => i !== index)) {
      expect(JSON.stringify(templateOf(stack).toJSON())).not.toContain("sqs:ListQueues");
    }
  });

  it("leaves the distribution list out of every other service", () => {
    for (const stack of platform.services.filter((_, i) => i !== index)) {
      for (const fn of Object.values(templateOf(stack).findResources("AWS::Lambda::Function"))) {
        expect(fn.Properties.Environment.Variables[REPORT_RECIPIENTS_ENV]).toBeUndefined();
      }
    }
  });
});

describe(`the ${BUNDLED} service's bundles`, () => {
  it("bundles every function as one ESM file with its source map", () => {
    const index = manifests.findIndex((manifest) => manifest.name === BUNDLED);
    const { template } = serviceUnderTest(platform, index, manifests[index] as (typeof manifests)[number]);
    const functions = Object.values(template.findResources("AWS::Lambda::Function"));
    expect(functions.length).toBeGreaterThan(5);
    for (const fn of functions) {
      const asset = path.join(platform.outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, "")}`);
      expect(readdirSync(asset).sort()).toEqual(["index.mjs", "index.mjs.map"]);
      expect(readFileSync(path.join(asset, "index.mjs"), "utf8")).toMatch(/^import \{ createRequire/);
    }
  });
});
