import { readFileSync } from "node:fs";
import path from "node:path";
import { App, Stack, Validations } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSecurityChecks } from "../lib/platform.ts";
import { ServiceFunction } from "../lib/service-function.ts";
import { logicalIdOf, type SynthesizedPlatform, synthesizePlatform, TEST_CONFIG } from "./synthesize.ts";

let platform: SynthesizedPlatform;
beforeAll(() => {
  platform = synthesizePlatform({ bundle: false });
});
afterAll(() => platform?.dispose());

interface ValidationReport {
  readonly pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
}

function acknowledgmentsIn(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      // Each entry is `{ "<namespace>::<rule id>": reason }`.
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^[\w-]+::/, ""), reason })),
  );
}

describe("cdk-nag AwsSolutions checks", () => {
  it("report no error or warning that is not acknowledged", () => {
    // Errors would have failed the synthesis already; warnings only show in the report.
    const report: ValidationReport = JSON.parse(
      readFileSync(path.join(platform.outdir, "validation-report.json"), "utf8"),
    );
    const violations = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((violation) => `${plugin.pluginName} ${violation.severity} ${violation.ruleName}`),
    );
    expect(violations).toEqual([]);
  });

  it("acknowledge only the known exceptions, each with its reason in a sentence", () => {
    const acknowledged = acknowledgmentsIn(platform.app);
    for (const ack of acknowledged) expect(ack.reason, `${ack.path} ${ack.id}`).toMatch(/^[A-Z].{40,}\.$/);
    expect(acknowledged.map((ack) => `${ack.path} ${ack.id}`).sort()).toEqual(
      [
        `${platform.shared.stackName}/Users AwsSolutions-COG8`,
        `${platform.shared.stackName}/Alarms AwsSolutions-SNS2`,
        ...platform.services.flatMap((stack) => [
          `${stack.stackName} AwsSolutions-IAM5[Resource::<${logicalIdOf(stack.table)}.Arn>/index/*]`,
          `${stack.stackName}/Outbox/Failures AwsSolutions-SQS3`,
          // A bucket's object grants (`<bucket ARN>/*`), and its access-log bucket that logs nowhere itself.
          ...(stack.bucket
            ? [
                `${stack.stackName} AwsSolutions-IAM5[Resource::<${logicalIdOf(stack.bucket.bucket)}.Arn>/*]`,
                `${stack.bucket.accessLogs.node.path} AwsSolutions-S1`,
              ]
            : []),
          // The report function's reads of the stage's dead-letter queues (GetQueueAttributes, by their prefix).
          ...(stack.stackName === `cdp-${TEST_CONFIG.stage}-reports`
            ? [
                `${stack.stackName}/On-generate-report/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:cdp-${TEST_CONFIG.stage}-dlq-*]`,
              ]
            : []),
          // X-Ray's two actions, on each function's own role.
          ...stack.node
            .findAll()
            .filter((construct) => construct instanceof ServiceFunction)
            .map((fn) => `${fn.node.path}/Role AwsSolutions-IAM5[Resource::*]`),
        ]),
      ].sort(),
    );
  });

  it("check the reports stack, its bucket and its grants too, and pass with two exceptions of its own", () => {
    // The report above is empty for every stack; here, that the reports stack was among those checked.
    const reports = platform.services.find((stack) => stack.stackName === `cdp-${TEST_CONFIG.stage}-reports`);
    expect(reports?.bucket).toBeDefined();
    const acknowledged = acknowledgmentsIn(reports as IConstruct).map((ack) => ack.id);
    expect(acknowledged).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<Bucket\w+\.Arn>\/\*\]$/),
        "AwsSolutions-S1",
      ]),
    );
  });

  it("pass for a deployment whose account and region are given, as `cdk synth` with them configured", () => {
    // ARNs built from the stack's environment then carry the values, not pseudo parameters: an acknowledgment written
    // for one form only would fail this synthesis (it did, for the dead-letter reads).
    const deployed = synthesizePlatform({ bundle: false, env: { account: "123456789012", region: "ap-northeast-1" } });
    const reports = deployed.services.find((stack) => stack.stackName === `cdp-${TEST_CONFIG.stage}-reports`);
    expect(acknowledgmentsIn(reports as IConstruct).map((ack) => ack.id)).toContain(
      `AwsSolutions-IAM5[Resource::arn:aws:sqs:ap-northeast-1:123456789012:cdp-${TEST_CONFIG.stage}-dlq-*]`,
    );
  });

  it("are live: an unchecked queue fails the synthesis", () => {
    const app = new App({ outdir: path.join(platform.outdir, "control") });
    new sqs.Queue(new Stack(app, "Control"), "Plain", { encryption: sqs.QueueEncryption.UNENCRYPTED });
    addSecurityChecks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS(3|4)/);
  });
});
