import { App } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RELAY_MAX_ITERATOR_AGE } from "../lib/alarms.ts";
import { readConfig } from "../lib/config.ts";
import { services as manifests } from "../services.ts";
import {
  type functionsOf,
  logicalIdOf,
  type SynthesizedPlatform,
  serviceUnderTest,
  synthesizePlatform,
  TEST_CONFIG,
  templateOf,
} from "./synthesize.ts";

let platform: SynthesizedPlatform;
beforeAll(() => {
  platform = synthesizePlatform({ bundle: false });
});
afterAll(() => platform?.dispose());

interface AlarmProperties {
  readonly AlarmName: string;
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Statistic: string;
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly Dimensions: { Name: string; Value: unknown }[];
  readonly AlarmActions: unknown[];
  readonly OKActions: unknown[];
  readonly TreatMissingData: string;
}

const alarmsIn = (template: Template): AlarmProperties[] =>
  Object.values(template.findResources("AWS::CloudWatch::Alarm")).map((alarm) => alarm.Properties);

/** The alarms watching one resource (by the logical id its dimension names) on one metric. */
const watching = (alarms: readonly AlarmProperties[], metricName: string, logicalId: string) =>
  alarms.filter(
    (alarm) =>
      alarm.MetricName === metricName &&
      alarm.Dimensions.some((dimension) => JSON.stringify(dimension.Value).includes(`"${logicalId}"`)),
  );

describe("the alarm topic", () => {
  let template: Template;
  beforeAll(() => {
    template = templateOf(platform.shared);
  });

  it("is one SNS topic in the shared stack, refusing publishers without TLS", () => {
    template.resourceCountIs("AWS::SNS::Topic", 1);
    const [policy] = Object.values(template.findResources("AWS::SNS::TopicPolicy"));
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
  });

  it("has an e-mail subscription for each address of the context's alarmEmails, and no other", () => {
    const subscriptions = Object.values(template.findResources("AWS::SNS::Subscription")).map((s) => s.Properties);
    const topicId = logicalIdOf(platform.shared.alarmTopic);
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint, s.TopicArn]).sort()).toEqual(
      (TEST_CONFIG.alarmEmails ?? []).map((email) => ["email", email, { Ref: topicId }]).sort(),
    );
  });

  it("takes its subscribers from `-c alarmEmails=…` (or CDP_ALARM_EMAILS), and refuses what is no address", () => {
    const app = new App({ context: { alarmEmails: "duty@example.org, team@example.org" } });
    expect(readConfig(app.node, { CDP_ALARM_EMAILS: "other@example.org" }).alarmEmails).toEqual([
      "duty@example.org",
      "team@example.org",
    ]);
    expect(readConfig(new App().node, { CDP_ALARM_EMAILS: "ops@example.org" }).alarmEmails).toEqual([
      "ops@example.org",
    ]);
    expect(readConfig(new App().node, {}).alarmEmails).toBeUndefined();
    expect(() => readConfig(new App({ context: { alarmEmails: "duty" } }).node, {})).toThrow(/alarmEmails/);
  });
});

describe.each(manifests.map((manifest, index) => ({ name: manifest.name, manifest, index })))(
  "service stack $name",
  ({ manifest, index }) => {
    let template: Template;
    let fns: ReturnType<typeof functionsOf>;
    let alarms: AlarmProperties[];
    beforeAll(() => {
      ({ template, fns } = serviceUnderTest(platform, index, manifest));
      alarms = alarmsIn(template);
    });

    it("traces every function with X-Ray (the relay too)", () => {
      const functions = Object.values(template.findResources("AWS::Lambda::Function"));
      expect(functions.length).toBe(fns.routes.length + fns.subscriptions.length + fns.schedules.length + 1);
      for (const fn of functions) expect(fn.Properties.TracingConfig).toEqual({ Mode: "Active" });
    });

    it("alarms on errors and on throttles of every function", () => {
      for (const functionId of Object.keys(template.findResources("AWS::Lambda::Function"))) {
        for (const metric of ["Errors", "Throttles"]) {
          const found = watching(alarms, metric, functionId);
          expect(found, `${functionId} ${metric}`).toHaveLength(1);
          expect(found[0]).toMatchObject({
            Namespace: "AWS/Lambda",
            Statistic: "Sum",
            Threshold: 1,
            ComparisonOperator: "GreaterThanOrEqualToThreshold",
            TreatMissingData: "notBreaching",
          });
        }
      }
    });

    it("alarms on any message in every dead-letter queue", () => {
      // A dead-letter queue is one a function, a rule target, a schedule or the relay's stream mapping sends to.
      const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: unknown }>;
      const queueIds = Object.keys(template.findResources("AWS::SQS::Queue"));
      const referenced = new Set(
        Object.values(resources)
          .filter((resource) => resource.Type !== "AWS::SQS::QueuePolicy" && resource.Type !== "AWS::CloudWatch::Alarm")
          .flatMap((resource) => queueIds.filter((id) => JSON.stringify(resource.Properties).includes(`"${id}"`))),
      );
      expect([...referenced].sort()).toEqual([...queueIds].sort());
      expect(queueIds.length).toBe(fns.subscriptions.length + fns.schedules.length + 1);
      for (const queueId of queueIds) {
        const found = watching(alarms, "ApproximateNumberOfMessagesVisible", queueId);
        expect(found, queueId).toHaveLength(1);
        expect(found[0]).toMatchObject({
          Namespace: "AWS/SQS",
          Statistic: "Maximum",
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
        });
      }
    });

    it("alarms on every route that answered 500, from the kit's own metric (Lambda counts no error then)", () => {
      const failures = alarms.filter((alarm) => alarm.MetricName === "RequestFailed");
      const dimensionsOf = (alarm: AlarmProperties) =>
        Object.fromEntries(alarm.Dimensions.map((dimension) => [dimension.Name, dimension.Value]));
      expect(failures.map(dimensionsOf)).toEqual(
        expect.arrayContaining(
          manifest.routes.map((route) => ({ service: manifest.name, operation: route.operationId })),
        ),
      );
      expect(failures).toHaveLength(manifest.routes.length);
      for (const alarm of failures) {
        expect(alarm).toMatchObject({ Namespace: "CityDiplomacy", Statistic: "Sum", Threshold: 1 });
      }
    });

    it("alarms when the outbox relay falls behind its stream", () => {
      const found = watching(alarms, "IteratorAge", logicalIdOf(fns.relay.function));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        Namespace: "AWS/Lambda",
        Statistic: "Maximum",
        Threshold: RELAY_MAX_ITERATOR_AGE.toMilliseconds(),
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
      expect(alarms.filter((alarm) => alarm.MetricName === "IteratorAge")).toHaveLength(1);
    });

    it("sends every alarm, and its all-clear, to the shared topic; each alarm is named for where to look", () => {
      const functions = Object.keys(template.findResources("AWS::Lambda::Function")).length;
      const queues = Object.keys(template.findResources("AWS::SQS::Queue")).length;
      expect(alarms).toHaveLength(2 * functions + queues + 1 + manifest.routes.length);
      const topic = { "Fn::ImportValue": expect.stringMatching(/Alarms/) };
      for (const alarm of alarms) {
        expect(alarm.AlarmActions, alarm.AlarmName).toEqual([topic]);
        expect(alarm.OKActions, alarm.AlarmName).toEqual([topic]);
        expect(alarm.AlarmName).toMatch(new RegExp(`^${platform.services[index]?.stackName} \\S+: [a-z ]+$`));
      }
      expect(new Set(alarms.map((alarm) => alarm.AlarmName)).size).toBe(alarms.length);
    });
  },
);
