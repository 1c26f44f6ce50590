import type { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services as manifests } from "../services.ts";
import {
  actionsOf,
  type functionsOf,
  logicalIdOf,
  type PolicyStatement,
  type SynthesizedPlatform,
  serviceUnderTest,
  statementsOf,
  synthesizePlatform,
} from "./synthesize.ts";

/** Everything `grantReadData` may give; a read route must have nothing else on its table. */
const READ_ACTIONS = new Set([
  "dynamodb:BatchGetItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
  "dynamodb:GetItem",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:Query",
  "dynamodb:Scan",
]);
/** Writes, one by one or in batches; IAM checks each item of a `TransactWriteItems` against these too. */
const WRITE_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"];
const STREAM_ACTIONS = new Set([
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:ListStreams",
]);

let platform: SynthesizedPlatform;
beforeAll(() => {
  platform = synthesizePlatform({ bundle: false });
});
afterAll(() => platform?.dispose());

const dynamoStatements = (statements: PolicyStatement[]) =>
  statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith("dynamodb:")));
const s3Statements = (statements: PolicyStatement[]) =>
  statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith("s3:")));

/** The logical ids a policy resource refers to (`Fn::GetAtt` / `Ref`), or the literal it is. */
function referencesOf(resource: unknown): string[] {
  if (typeof resource === "string") return [resource];
  if (Array.isArray(resource)) return resource.flatMap(referencesOf);
  if (resource && typeof resource === "object") {
    const entries = Object.entries(resource);
    const [key, value] = entries[0] ?? [];
    if (entries.length === 1 && key === "Fn::GetAtt") return [(value as string[])[0] as string];
    if (entries.length === 1 && key === "Ref") return [value as string];
    if (entries.length === 1 && key === "Fn::ImportValue") return [`import:${JSON.stringify(value)}`];
    if (entries.length === 1 && key === "Fn::Join")
      return referencesOf((value as unknown[])[1]).filter((part) => part !== "/index/*");
    return entries.flatMap(([, nested]) => referencesOf(nested));
  }
  return [];
}

describe.each(manifests.map((manifest, index) => ({ name: manifest.name, manifest, index })))(
  "service $name",
  ({ manifest, index }) => {
    let template: Template;
    let tableId: string;
    let fns: ReturnType<typeof functionsOf>;
    beforeAll(() => {
      ({ template, tableId, fns } = serviceUnderTest(platform, index, manifest));
    });
    const statementsOfFunction = (fn: { role: Parameters<typeof logicalIdOf>[0] }) =>
      statementsOf(template, logicalIdOf(fn.role));

    it("every function's DynamoDB rights name this service's table and nothing else", () => {
      const all = [...fns.routes, ...fns.subscriptions, ...fns.schedules].map((entry) => entry.handler);
      for (const fn of [...all, fns.relay]) {
        const statements = dynamoStatements(statementsOfFunction(fn));
        expect(statements.length, fn.node.path).toBeGreaterThan(0);
        for (const statement of statements) {
          expect(statement.Effect).toBe("Allow");
          expect(new Set(referencesOf(statement.Resource)), fn.node.path).toEqual(new Set([tableId]));
        }
      }
    });

    it("read routes may only read; write routes may write", () => {
      for (const { route, handler } of fns.routes) {
        const actions = dynamoStatements(statementsOfFunction(handler)).flatMap(actionsOf);
        if (route.access === "read") {
          for (const action of actions) expect(READ_ACTIONS.has(action), `${route.operationId}: ${action}`).toBe(true);
          for (const action of WRITE_ACTIONS) expect(actions, route.operationId).not.toContain(action);
        } else {
          expect(actions, route.operationId).toEqual(expect.arrayContaining(WRITE_ACTIONS));
        }
      }
    });

    it("the relay reads the stream only, and is the one function that may put events, on the bus only", () => {
      const relayStatements = statementsOfFunction(fns.relay);
      for (const action of dynamoStatements(relayStatements).flatMap(actionsOf)) {
        expect(STREAM_ACTIONS.has(action), action).toBe(true);
      }
      for (const statement of dynamoStatements(relayStatements)) {
        expect(statement.Resource).toEqual({ "Fn::GetAtt": [tableId, "StreamArn"] });
      }
      const putEvents = relayStatements.filter((statement) => actionsOf(statement).includes("events:PutEvents"));
      expect(putEvents).toHaveLength(1);
      expect(referencesOf(putEvents[0]?.Resource)).toEqual([expect.stringMatching(/^import:.*Bus/)]);

      const others = [...fns.routes, ...fns.subscriptions, ...fns.schedules].map((entry) => entry.handler);
      for (const fn of others) {
        const actions = statementsOfFunction(fn).flatMap(actionsOf);
        expect(
          actions.filter((action) => action.startsWith("events:")),
          fn.node.path,
        ).toEqual([]);
      }
    });

    it("only e-mail-sending subscriptions may send, from the service's own identity and address", () => {
      const all = [...fns.routes, ...fns.subscriptions, ...fns.schedules];
      for (const entry of all) {
        const ses = statementsOfFunction(entry.handler).filter((st) => actionsOf(st).some((a) => a.startsWith("ses:")));
        const sends = "subscription" in entry && entry.subscription.sendsEmail === true;
        if (!sends) {
          expect(ses, entry.handler.node.path).toEqual([]);
          continue;
        }
        expect(ses).toHaveLength(1);
        // SendRawEmail for messages with attachments; both only from the service's identity and address.
        expect(actionsOf(ses[0] as PolicyStatement)).toEqual(["ses:SendEmail", "ses:SendRawEmail"]);
        expect(JSON.stringify(ses[0]?.Resource)).toContain(":identity/");
        expect(ses[0]?.Condition).toEqual({
          StringEquals: { "ses:FromAddress": expect.stringMatching(/^city-diplomacy@/) },
        });
        const variables = template.findResources("AWS::Lambda::Function");
        const mine = Object.entries(variables).find(([id]) => id === logicalIdOf(entry.handler.function));
        expect(mine?.[1].Properties.Environment.Variables.SENDER_ADDRESS).toMatch(/^city-diplomacy@/);
      }
    });

    it("only the functions that declare it may touch the bucket: one object action each, on its files only", () => {
      const bucket = platform.services[index]?.bucket;
      const files = bucket && { "Fn::Join": ["", [{ "Fn::GetAtt": [logicalIdOf(bucket.bucket), "Arn"] }, "/*"]] };
      const expectations = [
        ...fns.routes.map(({ route, handler }) => ({ handler, actions: route.readsBucket ? ["s3:GetObject"] : [] })),
        ...fns.subscriptions.map(({ subscription, handler }) => ({
          handler,
          actions: subscription.runtime?.writesBucket ? ["s3:PutObject"] : [],
        })),
        ...fns.schedules.map(({ handler }) => ({ handler, actions: [] })),
        { handler: fns.relay, actions: [] },
      ];
      for (const { handler, actions } of expectations) {
        const statements = s3Statements(statementsOfFunction(handler));
        expect(statements.flatMap(actionsOf), handler.node.path).toEqual(actions);
        for (const statement of statements) {
          expect(statement).toEqual({ Effect: "Allow", Action: actions[0], Resource: files });
        }
      }
      // And no other role of the stack (the schedulers', the relay's) has any S3 right.
      const everywhere = Object.values(template.findResources("AWS::IAM::Policy")).flatMap((policy) =>
        s3Statements(policy.Properties.PolicyDocument.Statement as PolicyStatement[]),
      );
      expect(everywhere).toHaveLength(expectations.filter(({ actions }) => actions.length > 0).length);
    });

    it("no policy anywhere grants a wildcard action", () => {
      const policies = Object.values(template.findResources("AWS::IAM::Policy"));
      for (const policy of policies) {
        for (const statement of policy.Properties.PolicyDocument.Statement as PolicyStatement[]) {
          for (const action of actionsOf(statement)) expect(action).not.toContain("*");
        }
      }
    });
  },
);

describe("the reports bucket", () => {
  it("is read by the download route alone and written by the report function alone", () => {
    const index = manifests.findIndex((manifest) => manifest.name === "reports");
    const manifest = manifests[index];
    if (!manifest) throw new Error("the reports service is not on the platform");
    const { template, fns } = serviceUnderTest(platform, index, manifest);
    const holders = (action: string) =>
      [...fns.routes, ...fns.subscriptions, ...fns.schedules]
        .filter(({ handler }) =>
          s3Statements(statementsOf(template, logicalIdOf(handler.role))).some((statement) =>
            actionsOf(statement).includes(action),
          ),
        )
        .map(({ handler }) => handler.node.id);
    expect(holders("s3:GetObject")).toEqual(["downloadReport"]);
    expect(holders("s3:PutObject")).toEqual(["On-generate-report"]);
  });
});
