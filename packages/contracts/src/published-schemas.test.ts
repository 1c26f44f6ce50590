import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  breakingChanges,
  describeBreakingChanges,
  type JsonSchema,
  PUBLISHED_CONTRACTS,
  publishedSchemaOf,
  SCHEMAS_DIR,
  schemaFileOf,
} from "./published-schemas.ts";

const REGENERATE = "run `pnpm --filter @cdp/contracts run schemas`";

function committedSchemaOf(file: string): JsonSchema | undefined {
  const path = join(SCHEMAS_DIR, file);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as JsonSchema) : undefined;
}

const published = PUBLISHED_CONTRACTS.map((contract) => ({
  name: contract.detailType,
  file: schemaFileOf(contract),
  contract,
}));

describe("published event schemas", () => {
  it.each(published)("$name: no change breaks a consumer of the committed version", ({ contract }) => {
    const committed = committedSchemaOf(schemaFileOf(contract));
    if (committed === undefined) return; // A new version: the drift check below asks for its file.
    const changes = breakingChanges(committed, publishedSchemaOf(contract));
    expect(
      changes,
      `A published version may only change compatibly; publish ${contract.detailType.replace(/\.v(\d+)$/, (_, n) => `.v${Number(n) + 1}`)} beside it instead:\n${describeBreakingChanges(contract, changes)}\n`,
    ).toEqual([]);
  });

  it.each(published)("$name: the committed schema is the code's", ({ contract }) => {
    const committed = committedSchemaOf(schemaFileOf(contract));
    expect(committed, `no committed schema for ${contract.detailType}: ${REGENERATE}`).toBeDefined();
    // Expected: the committed file; received: what the code describes now.
    expect(publishedSchemaOf(contract), `the code's schema differs from the committed one: ${REGENERATE}`).toEqual(
      committed,
    );
  });

  it("keeps no schema of a version nothing publishes", () => {
    const files = readdirSync(SCHEMAS_DIR, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".json"))
      .map((file) => file.split("\\").join("/"))
      .sort();
    expect(files).toEqual(published.map((p) => p.file).sort());
  });

  it("describes every detail as carrying the event's own identity", () => {
    for (const { contract } of published) {
      const schema = committedSchemaOf(schemaFileOf(contract)) as { required?: string[] };
      expect(schema.required, contract.detailType).toContain("metadata");
    }
  });
});
