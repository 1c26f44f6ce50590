/**
 * Writes the committed JSON Schema of every published event (`pnpm --filter @cdp/contracts run schemas`).
 * A change that would break a consumer of a published version is refused: publish a new version
 * (`X.v2`) beside it instead. `--allow-breaking` overrides, for a change proven harmless (say, a zod
 * upgrade that rewrites a pattern): the schema diff then shows in review.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  breakingChanges,
  describeBreakingChanges,
  type JsonSchema,
  PUBLISHED_CONTRACTS,
  publishedSchemaOf,
  SCHEMAS_DIR,
  schemaFileOf,
  serialiseSchema,
} from "../src/published-schemas.ts";

const allowBreaking = process.argv.includes("--allow-breaking");
const refused: string[] = [];
const writtenFiles: string[] = [];

for (const contract of PUBLISHED_CONTRACTS) {
  const file = join(SCHEMAS_DIR, schemaFileOf(contract));
  const schema = publishedSchemaOf(contract);
  const text = serialiseSchema(schema);
  if (existsSync(file)) {
    const committed = JSON.parse(readFileSync(file, "utf8")) as JsonSchema;
    if (JSON.stringify(committed) === JSON.stringify(schema)) continue;
    const changes = breakingChanges(committed, schema);
    if (changes.length > 0 && !allowBreaking) {
      refused.push(describeBreakingChanges(contract, changes));
      continue;
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  writtenFiles.push(file);
  console.log(`wrote ${relative(process.cwd(), file)}`);
}

const published = new Set(PUBLISHED_CONTRACTS.map(schemaFileOf));
const orphans = readdirSync(SCHEMAS_DIR, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".json"))
  .map((file) => file.split("\\").join("/"))
  .filter((file) => !published.has(file));

if (writtenFiles.length > 0) {
  // Laid out as the repository's formatter lays out JSON, so `biome check` stays clean.
  const biome = fileURLToPath(new URL("../../../node_modules/.bin/biome", import.meta.url));
  execFileSync(biome, ["format", "--write", ...writtenFiles], { stdio: "ignore" });
}
const unchanged = PUBLISHED_CONTRACTS.length - writtenFiles.length - refused.length;
console.log(`${writtenFiles.length} schema(s) written, ${unchanged} unchanged`);
if (orphans.length > 0) {
  console.error(`No contract publishes ${orphans.join(", ")}: delete the file once that version has retired.`);
}
if (refused.length > 0) {
  console.error(
    `Refused, as they would break consumers of a published version (publish a new version instead):\n${refused.join("\n")}`,
  );
}
if (orphans.length > 0 || refused.length > 0) process.exitCode = 1;
