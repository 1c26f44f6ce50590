import { fileURLToPath } from "node:url";
import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import { ALL_CONTRACTS } from "./catalogue.ts";
import { type BreakingChange, breakingChanges, type JsonSchema } from "./compatibility.ts";
import type { EventContract } from "./events.ts";

/** Where the committed schemas live: `schemas/<source>/<DetailType>.json`, one per published version. */
export const SCHEMAS_DIR = fileURLToPath(new URL("../schemas/", import.meta.url));

type AnyContract = EventContract<string, string, core.$ZodType>;

export const PUBLISHED_CONTRACTS: readonly AnyContract[] = ALL_CONTRACTS;

/** The committed file of a contract's schema, relative to `SCHEMAS_DIR`. */
export function schemaFileOf(contract: AnyContract): string {
  return `${contract.source}/${contract.detailType}.json`;
}

/**
 * The JSON Schema of an event's detail as a consumer accepts it (zod's "input" side: the JSON on the
 * wire before parsing; unknown fields are allowed, as the contracts strip them). Refinements with no
 * JSON Schema form (a real calendar date) are left out.
 */
export function publishedSchemaOf(contract: AnyContract): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(contract.detail, { io: "input", target: "draft-2020-12" });
  return {
    $schema,
    title: contract.detailType,
    description: `The detail of ${contract.source} ${contract.detailType} events, as consumers accept it. Generated from packages/contracts/src/events.ts: run \`pnpm --filter @cdp/contracts run schemas\`.`,
    ...schema,
  };
}

export function serialiseSchema(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** One line per breaking change, for people: `PartnerRegistered.v1 $.status: type-narrowed (string → only …)`. */
export function describeBreakingChanges(contract: AnyContract, changes: readonly BreakingChange[]): string {
  return changes
    .map((change) => `${contract.source} ${contract.detailType} ${change.path}: ${change.kind} (${change.detail})`)
    .join("\n");
}

export { type BreakingChange, breakingChanges, type JsonSchema };
