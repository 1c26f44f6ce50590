import { SENDER_ADDRESS_ENV } from "@cdp/lambda-kit";
import { describe, expect, it } from "vitest";
import { services as manifests } from "../services.ts";
import { benchFunctions } from "./functions.ts";
import { functionEnvironment } from "./local-stack.ts";

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
});
