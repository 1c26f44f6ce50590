// Adds up the vitest JSON results of every workspace package (fresh, or restored from turbo's cache)
// and prints one closing line, `Tests: N passed, N failed`, for people and CI alike.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const subfolders = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, dir, entry.name));
const packages = [...subfolders("packages"), ...subfolders("services"), join(root, "infra"), join(root, "test")];

let passed = 0;
let failed = 0;
let skipped = 0;
// One file per vitest task that `ci:test` runs (turbo.json's outputs); a file another command left is not counted.
const RESULT_FILES = [".test-results.json", ".fuzz-1-results.json", ".fuzz-2-results.json", ".clouds-results.json"];
const results = packages.flatMap((dir) => RESULT_FILES.map((name) => join(dir, name)));
for (const file of results) {
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, "utf8"));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + (result.numTodoTests ?? 0);
}
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
