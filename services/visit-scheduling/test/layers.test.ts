import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** What each module imports, by file, for the layers' rules. */
function importsIn(folder: string): [file: string, specifiers: string[]][] {
  const root = new URL(`../src/${folder}/`, import.meta.url);
  return readdirSync(root)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .map((file) => {
      const source = readFileSync(new URL(file, root), "utf8");
      return [file, [...source.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1] ?? "")];
    });
}

describe("the layers of Visit Scheduling", () => {
  it("keep the domain pure: no AWS SDK, no HTTP, only the kit's decision module", () => {
    for (const [file, specifiers] of importsIn("domain")) {
      for (const specifier of specifiers) {
        expect(specifier, file).not.toMatch(/^@aws-sdk\/|problems|^@cdp\/lambda-kit$|^@cdp\/lambda-kit\/(?!decision$)/);
      }
    }
  });

  it("keep HTTP problems out of the store: it throws refusals", () => {
    for (const [file, specifiers] of importsIn("store")) {
      for (const specifier of specifiers) expect(specifier, file).not.toMatch(/problems/);
      const source = readFileSync(new URL(`../src/store/${file}`, import.meta.url), "utf8");
      expect(source, file).not.toMatch(/\bproblems\.|HttpProblem/);
    }
  });

  it("keep every store file under 300 lines", () => {
    for (const [file] of importsIn("store")) {
      const lines = readFileSync(new URL(`../src/store/${file}`, import.meta.url), "utf8").split("\n").length;
      expect(lines, file).toBeLessThanOrEqual(300);
    }
  });
});
