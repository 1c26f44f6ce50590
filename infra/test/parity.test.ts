import { deadLetterPrefixOf } from "@cdp/lambda-kit";
import { inventoryOf } from "@cdp/local-cloud/inventory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services as manifests } from "../services.ts";
import { type SynthesizedPlatform, synthesizePlatform, TEST_CONFIG, templateOf } from "./synthesize.ts";

/**
 * The cloud and the laptop serve the same platform: what the synthesized CloudFormation declares (routes, rules,
 * schedules) equals what the local cloud serves from the same manifests. Rules and schedules carry their
 * `<service>.<name>` as their physical name, so they map back without guessing.
 */
let platform: SynthesizedPlatform;
beforeAll(() => {
  platform = synthesizePlatform({ bundle: false });
});
afterAll(() => platform?.dispose());

interface ResourceJson {
  readonly Properties: Record<string, unknown>;
}

function resourcesOf(type: string): ResourceJson[] {
  const stacks = [platform.shared, ...platform.services];
  return stacks.flatMap((stack) => Object.values(templateOf(stack).findResources(type)) as ResourceJson[]);
}
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

function synthesizedInventory() {
  return {
    routes: resourcesOf("AWS::ApiGatewayV2::Route")
      .map((route) => route.Properties.RouteKey as string)
      .sort(),
    rules: resourcesOf("AWS::Events::Rule")
      .map((rule) => ({ name: rule.Properties.Name as string, pattern: rule.Properties.EventPattern }))
      .sort(byName),
    schedules: resourcesOf("AWS::Scheduler::Schedule")
      .map((schedule) => ({
        name: schedule.Properties.Name as string,
        expression: schedule.Properties.ScheduleExpression as string,
        timezone: schedule.Properties.ScheduleExpressionTimezone as string,
      }))
      .sort(byName),
  };
}

describe("parity of the synthesized cloud with the local cloud", () => {
  const local = inventoryOf(manifests);

  it("serves the same HTTP routes", () => {
    expect(synthesizedInventory().routes).toEqual(local.routes);
  });

  it("has the same event rules, with the same patterns", () => {
    expect(synthesizedInventory().rules).toEqual(local.rules);
  });

  it("has the same schedules, with the same expressions and time zones", () => {
    expect(synthesizedInventory().schedules).toEqual(local.schedules);
  });

  it("has the same dead-letter queues, named alike but for the stage (the report counts them by that prefix)", () => {
    const prefix = deadLetterPrefixOf(TEST_CONFIG.stage);
    const names = resourcesOf("AWS::SQS::Queue").map((queue) => queue.Properties.QueueName as string);
    expect(names.every((name) => name.startsWith(prefix))).toBe(true);
    expect(names.map((name) => name.slice(prefix.length)).sort()).toEqual(local.deadLetterQueues);
    expect(local.deadLetterQueues).toEqual(expect.arrayContaining(["reports-project-events", "reports-outbox-relay"]));
  });

  it("is not vacuous: the platform has routes, rules and schedules", () => {
    expect(local.routes.length).toBeGreaterThan(0);
    expect(local.rules.length).toBeGreaterThan(0);
    expect(local.schedules.length).toBeGreaterThan(0);
  });
});
