import { SENDER_ADDRESS_ENV } from "@cdp/lambda-kit";
import { describe, expect, it } from "vitest";
import { services as manifests } from "../services.ts";
import { benchFunctions, failureOf } from "./functions.ts";
import { bucketNameOf, functionEnvironment } from "./local-stack.ts";

describe("function environment", () => {
  it("gives the sender address to the subscriptions that send e-mail, and to no other function", () => {
    const stack = { commonEnvironment: {}, tableName: (service: string) => service };
    const given = benchFunctions(manifests)
      .filter((fn) => SENDER_ADDRESS_ENV in functionEnvironment(fn, stack))
      .map((fn) => fn.id);
    const senders = manifests.flatMap((s) =>
      s.subscriptions.filter((sub) => sub.sendsEmail).map((sub) => `${s.name}.${sub.name}`),
    );
    expect(senders.length).toBeGreaterThan(0);
    expect(given).toEqual(senders);
  });

  it("names every service's table in the variable its manifest gives", () => {
    const stack = { commonEnvironment: {}, tableName: (service: string) => `table-of-${service}` };
    for (const service of manifests) {
      const fn = benchFunctions([service]).find((f) => f.kind === "route");
      expect(fn && functionEnvironment(fn, stack)[service.table.envVar]).toBe(`table-of-${service.name}`);
    }
  });

  it("gives a function with a runtime of its own what the CDK app gives it: memory, files, packages, the bucket", () => {
    const stack = { commonEnvironment: {}, tableName: (service: string) => service };
    const functions = benchFunctions(manifests);
    const withRuntime = manifests.flatMap((s) =>
      s.subscriptions.filter((sub) => sub.runtime).map((sub) => ({ service: s, sub })),
    );
    expect(withRuntime.length).toBeGreaterThan(0);
    for (const { service, sub } of withRuntime) {
      const fn = functions.find((f) => f.id === `${service.name}.${sub.name}`);
      const environment = fn ? functionEnvironment(fn, stack) : {};
      if (sub.runtime?.memorySize) {
        expect(environment.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe(String(sub.runtime.memorySize));
        expect(fn?.ownAim).toBeDefined();
      }
      for (const asset of sub.runtime?.assets ?? []) expect(environment[asset.envVar]).toMatch(asset.path);
      expect(fn?.nodeModules).toEqual(sub.runtime?.nodeModules);
    }
    // Every function of a service with a bucket is given its name, as the CDK app does; no other function is.
    for (const fn of functions) {
      const bucket = fn.tableOf?.bucket;
      const environment = functionEnvironment(fn, stack);
      if (bucket) expect(environment[bucket.envVar]).toBe(bucketNameOf(fn.tableOf?.name ?? ""));
      else expect(Object.values(environment)).not.toContain(bucketNameOf(fn.serviceName ?? ""));
    }
    expect(functions.filter((fn) => fn.ownAim !== undefined).map((fn) => fn.id)).toEqual(
      withRuntime.filter(({ sub }) => sub.runtime?.memorySize).map(({ service, sub }) => `${service.name}.${sub.name}`),
    );
  });

  it("counts a route's declared redirect as success, and no other answer outside 2xx", () => {
    const functions = benchFunctions(manifests);
    const redirecting = functions.find((fn) => fn.successStatuses?.includes(302));
    const other = functions.find((fn) => fn.http && fn.kind === "route" && !fn.successStatuses?.includes(302));
    if (redirecting) expect(failureOf(redirecting, { statusCode: 302 })).toBeUndefined();
    expect(other && failureOf(other, { statusCode: 302, body: "" })).toMatch(/answered 302/);
    expect(other && failureOf(other, { statusCode: 204 })).toBeUndefined();
  });
});
