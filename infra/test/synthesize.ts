import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ServiceManifest } from "@cdp/lambda-kit";
import { App, type CfnElement, type Environment, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import type { PlatformConfig } from "../lib/config.ts";
import type { OutboxRelay } from "../lib/outbox-relay.ts";
import { buildPlatform, type Platform } from "../lib/platform.ts";
import type { ServiceFunction } from "../lib/service-function.ts";
import type { ServiceStack } from "../lib/service-stack.ts";
import { services as manifests } from "../services.ts";

/** The feature flags `cdk deploy` runs with, so the tests see the same templates. */
const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL("../cdk.json", import.meta.url), "utf8"),
).context;

export const TEST_CONFIG: PlatformConfig = {
  stage: "test",
  allowedOrigins: ["https://diplomacy.example.org"],
  alarmEmails: ["duty-officer@example.org", "platform-team@example.org"],
  reportRecipients: ["diplomacy-meeting@example.org", "international-affairs@example.org"],
};

export interface SynthesizedPlatform extends Platform {
  readonly app: App;
  /** The cloud assembly's folder (templates, bundled assets, the validation report). */
  readonly outdir: string;
  readonly dispose: () => void;
}

/**
 * Builds and synthesizes the real platform (every service in `manifests`) into a temporary folder. Bundling the
 * functions takes most of the time; tests that read only the templates skip it, as `cdk synth --exclusively` does,
 * and `bundle` may name the stacks (CDK stack names, globs allowed) whose functions are bundled: every function is
 * bundled by the same construct, so one service's prove the setting, and `pnpm bench` bundles them all.
 *
 * One synthesis per setting and test process: the test files share it (vitest runs them unisolated, see
 * vitest.config.ts), since the app is read, never changed, and each synthesis of the whole platform costs seconds.
 * Its folder is removed when the process exits; `dispose` is for the callers' symmetry.
 */
export function synthesizePlatform(options: {
  bundle: boolean | readonly string[];
  /** As `cdk synth` gives it with an account and region configured; by default left to the deployment. */
  env?: Environment;
}): SynthesizedPlatform {
  const key = JSON.stringify([options.bundle, options.env]);
  let platform = synthesized.get(key);
  if (!platform) {
    platform = synthesizeNow(options.bundle, options.env);
    synthesized.set(key, platform);
  }
  return platform;
}

const synthesized = new Map<string, SynthesizedPlatform>();
process.once("exit", () => {
  for (const { outdir } of synthesized.values()) rmSync(outdir, { recursive: true, force: true });
});

function synthesizeNow(bundle: boolean | readonly string[], env?: Environment): SynthesizedPlatform {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "cdp-infra-"));
  const skipBundling = bundle === true ? {} : { "aws:cdk:bundling-stacks": bundle === false ? [] : [...bundle] };
  const app = new App({ outdir, context: { ...CDK_JSON_CONTEXT, ...skipBundling } });
  const platform = buildPlatform(app, manifests, TEST_CONFIG, env);
  app.synth();
  return { ...platform, app, outdir, dispose: () => undefined };
}

/** The synthesized template (the app is synthesized already, so this does not bundle again). */
export const templateOf = (stack: Stack): Template => Template.fromStack(stack);

export const logicalIdOf = (construct: IConstruct): string => {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(element.logicalId);
};

/** A service's functions, found by the construct ids service-stack.ts gives them. */
export function functionsOf(stack: ServiceStack, manifest: ServiceManifest) {
  const find = (id: string) => stack.node.findChild(id) as ServiceFunction;
  const relay = stack.node.findChild("Outbox") as OutboxRelay;
  return {
    routes: manifest.routes.map((route) => ({ route, handler: find(route.operationId) })),
    subscriptions: manifest.subscriptions.map((subscription) => ({
      subscription,
      handler: find(`On-${subscription.name}`),
    })),
    schedules: manifest.schedules.map((schedule) => ({ schedule, handler: find(`Job-${schedule.name}`) })),
    relay: relay.node.findChild("Relay") as ServiceFunction,
  };
}

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Every statement of the policies attached to the role with this logical id. */
export function statementsOf(template: Template, roleLogicalId: string): PolicyStatement[] {
  const policies = Object.values(template.findResources("AWS::IAM::Policy")) as {
    Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: PolicyStatement[] } };
  }[];
  return policies
    .filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleLogicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

export const actionsOf = (statement: PolicyStatement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** What a per-service test reads of its stack: the template, the table's logical id and every function. */
export interface ServiceUnderTest {
  readonly template: Template;
  readonly tableId: string;
  readonly fns: ReturnType<typeof functionsOf>;
}

export function serviceUnderTest(
  platform: SynthesizedPlatform,
  index: number,
  manifest: ServiceManifest,
): ServiceUnderTest {
  const stack = platform.services[index];
  if (!stack) throw new Error(`no stack for ${manifest.name}`);
  return { template: templateOf(stack), tableId: logicalIdOf(stack.table), fns: functionsOf(stack, manifest) };
}
