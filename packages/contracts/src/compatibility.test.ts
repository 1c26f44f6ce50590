import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import { type BreakingChange, breakingChanges, type JsonSchema } from "./compatibility.ts";

/** Schemas as the committed files hold them: zod's JSON Schema of what a consumer accepts. */
const json = (schema: core.$ZodType): JsonSchema => z.toJSONSchema(schema, { io: "input" }) as JsonSchema;

const text = z.string().check(z.minLength(1), z.maxLength(200));
const Contact = z.object({ email: z.email(), language: z.enum(["ja", "en"]) });
const v1 = z.object({
  partnerId: text,
  status: z.string(),
  kind: z.enum(["city", "state", "region"]),
  version: z.optional(z.int().check(z.minimum(1))),
  lastExchangeOn: z.nullable(z.string()),
  contacts: z.array(Contact).check(z.maxLength(20)),
  score: z.number(),
});

function kinds(changes: BreakingChange[]): [string, string][] {
  return changes.map((change) => [change.kind, change.path]);
}

function changed(next: Record<string, core.$ZodType>, drop: string[] = []): BreakingChange[] {
  const shape: Record<string, core.$ZodType> = { ...v1.shape, ...next };
  for (const name of drop) delete shape[name];
  return breakingChanges(json(v1), json(z.object(shape)));
}

describe("compatibility of a published event's schema", () => {
  it("accepts an unchanged schema", () => {
    expect(breakingChanges(json(v1), json(v1))).toEqual([]);
  });

  it("accepts additive optional fields and widening", () => {
    expect(
      changed({
        note: z.optional(z.string()),
        kind: z.enum(["city", "state", "region", "prefecture"]),
        partnerId: z.string().check(z.minLength(1), z.maxLength(500)),
        version: z.optional(z.int()),
        status: z.nullable(z.string()),
        contacts: z.array(z.object({ email: z.string(), language: z.string() })),
        score: z.nullable(z.number()),
      }),
    ).toEqual([]);
    // integer → number, a closed object opened, a pattern and a format dropped.
    expect(
      breakingChanges(
        { type: "object", properties: { n: { type: "integer" } }, additionalProperties: false },
        { type: "object", properties: { n: { type: "number" } } },
      ),
    ).toEqual([]);
    expect(breakingChanges({ type: "string", format: "email", pattern: "^.+@.+$" }, { type: "string" })).toEqual([]);
  });

  it("detects a field removed, required or optional", () => {
    expect(kinds(changed({}, ["status", "version"]))).toEqual([
      ["field-removed", "$.status"],
      ["field-removed", "$.version"],
    ]);
  });

  it("detects a required field made optional: consumers rely on it", () => {
    expect(kinds(changed({ status: z.optional(z.string()) }))).toEqual([["field-no-longer-required", "$.status"]]);
  });

  it("detects a new required field, and an optional one made required", () => {
    expect(kinds(changed({ region: z.string(), version: z.int().check(z.minimum(1)) }))).toEqual([
      ["required-field-added", "$.version"],
      ["required-field-added", "$.region"],
    ]);
  });

  it("detects a type narrowed: string to enum, to another type, number to integer", () => {
    const changes = changed({
      status: z.enum(["active", "dormant"]),
      partnerId: z.int(),
      score: z.int(),
    });
    expect(kinds(changes)).toEqual([
      ["type-narrowed", "$.partnerId"],
      ["type-narrowed", "$.status"],
      ["type-narrowed", "$.score"],
    ]);
    expect(changes[1]?.detail).toBe('string → only "active", "dormant"');
    expect(kinds(breakingChanges({}, { type: "string" }))).toEqual([["type-narrowed", "$"]]);
  });

  it("detects a narrower enum, naming the values dropped", () => {
    const changes = changed({ kind: z.enum(["city", "state"]) });
    expect(changes).toEqual([{ kind: "enum-narrowed", path: "$.kind", detail: 'no longer accepts "region"' }]);
  });

  it("detects nullable removed, from a type list and from anyOf", () => {
    expect(kinds(changed({ lastExchangeOn: z.string() }))).toEqual([["nullable-removed", "$.lastExchangeOn"]]);
    const nullableObject = z.object({ head: z.nullable(z.object({ name: z.string() })) });
    const required = z.object({ head: z.object({ name: z.string() }) });
    expect(kinds(breakingChanges(json(nullableObject), json(required)))).toEqual([["nullable-removed", "$.head"]]);
  });

  it("detects bounds tightened: lengths, numbers and counts", () => {
    expect(
      kinds(
        changed({
          partnerId: z.string().check(z.minLength(2), z.maxLength(64)),
          version: z.optional(z.int().check(z.minimum(2))),
          score: z.number().check(z.lt(100)),
          contacts: z.array(Contact).check(z.minLength(1), z.maxLength(10)),
        }),
      ),
    ).toEqual([
      ["bound-tightened", "$.partnerId"],
      ["bound-tightened", "$.partnerId"],
      ["bound-tightened", "$.version"],
      ["bound-tightened", "$.contacts"],
      ["bound-tightened", "$.contacts"],
      ["bound-tightened", "$.score"],
    ]);
    expect(breakingChanges({ type: "number", minimum: 0 }, { type: "number", exclusiveMinimum: 0 })[0]?.detail).toBe(
      "lower bound >= 0 → > 0",
    );
  });

  it("detects a format or a pattern added, and a pattern changed", () => {
    expect(kinds(changed({ status: z.email() }))).toEqual([
      ["pattern-changed", "$.status"],
      ["format-added", "$.status"],
    ]);
    expect(
      kinds(breakingChanges({ type: "string", pattern: "^[a-z]+$" }, { type: "string", pattern: "^[a-z]{2,}$" })),
    ).toEqual([["pattern-changed", "$"]]);
  });

  it("detects additionalProperties tightened", () => {
    const strict = z.strictObject({ ...v1.shape });
    expect(kinds(breakingChanges(json(v1), json(strict)))).toEqual([["additional-properties-tightened", "$"]]);
    expect(
      kinds(
        breakingChanges(
          { type: "object", additionalProperties: { type: "string" } },
          { type: "object", additionalProperties: { type: "string", maxLength: 10 } },
        ),
      ),
    ).toEqual([["bound-tightened", "$.*"]]);
  });

  it("follows nested objects and array items, naming the path", () => {
    const narrower = z.array(z.object({ email: z.email(), language: z.enum(["ja"]) }));
    expect(changed({ contacts: narrower.check(z.maxLength(20)) })).toEqual([
      { kind: "enum-narrowed", path: "$.contacts[].language", detail: 'no longer accepts "en"' },
    ]);
  });

  it("resolves local $refs, and reports what it cannot judge", () => {
    const withRef = {
      $defs: { Code: { type: "string", enum: ["a", "b"] } },
      type: "object",
      properties: { code: { $ref: "#/$defs/Code" } },
      required: ["code"],
    };
    const narrowed = { ...withRef, $defs: { Code: { type: "string", enum: ["a"] } } };
    expect(kinds(breakingChanges(withRef, narrowed))).toEqual([["enum-narrowed", "$.code"]]);
    expect(
      kinds(breakingChanges({ allOf: [{ type: "string" }] }, { allOf: [{ type: "string", maxLength: 3 }] })),
    ).toEqual([["unverifiable", "$"]]);
  });
});
