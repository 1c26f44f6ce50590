import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layers point one way: infra and test → services → packages. A package under `packages/` is a library
 * any service may use, so it imports no service, neither by package name nor by path, and does not
 * depend on one in its package.json. The list of services lives in `infra/services.ts` alone.
 */
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVICES_DIR = join(REPO_ROOT, "services");
const PACKAGES_DIR = join(REPO_ROOT, "packages");
const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx)$/;
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", "cdk.out", ".turbo", "coverage"]);

const folders = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name));

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

const serviceNames = folders(SERVICES_DIR).map((dir) => String(readJson(join(dir, "package.json")).name));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED_FOLDERS.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE_FILE.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier of a source: static and dynamic imports, re-exports, `require` and `import.meta.resolve`. */
function specifiersOf(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\b(?:import|require|resolve)\s*\(\s*["']([^"']+)["']/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ""));
}

/** The service a specifier reaches, if any: by package name, or by a relative path into `services/`. */
function serviceReachedBy(specifier: string, fromFile: string, services: readonly string[]): string | undefined {
  const byName = services.find((name) => specifier === name || specifier.startsWith(`${name}/`));
  if (byName) return byName;
  if (!specifier.startsWith(".")) return undefined;
  const target = resolve(fromFile, "..", specifier);
  const inServices = relative(SERVICES_DIR, target);
  return inServices.startsWith("..") ? undefined : `services${sep}${inServices}`;
}

describe("packages/ holds libraries that import no service", () => {
  const packages = folders(PACKAGES_DIR);

  it("knows the services and the packages it checks", () => {
    expect(serviceNames).toEqual(
      expect.arrayContaining(["@cdp/city-registry", "@cdp/visit-scheduling", "@cdp/notifications"]),
    );
    expect(packages.map((dir) => relative(REPO_ROOT, dir))).toContain(join("packages", "local-cloud"));
  });

  it("finds an import of a service however it is written", () => {
    const file = join(PACKAGES_DIR, "some-lib", "src", "index.ts");
    const source = [
      'import { manifest } from "@cdp/city-registry/manifest";',
      'export { seed } from "@cdp/visit-scheduling";',
      'const notifier = await import("@cdp/notifications/notifier");',
      'import type { Visit } from "../../../services/visit-scheduling/src/domain/model.ts";',
      'import { z } from "zod/mini";',
    ].join("\n");
    const reached = specifiersOf(source)
      .map((specifier) => serviceReachedBy(specifier, file, serviceNames))
      .filter(Boolean)
      .sort();
    expect(reached).toEqual([
      "@cdp/city-registry",
      "@cdp/notifications",
      "@cdp/visit-scheduling",
      join("services", "visit-scheduling", "src", "domain", "model.ts"),
    ]);
  });

  it.each(packages.map((dir) => ({ name: relative(REPO_ROOT, dir), dir })))(
    "$name depends on no service in its package.json",
    ({ dir }) => {
      const manifest = readJson(join(dir, "package.json"));
      const declared = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].flatMap(
        (field) => Object.keys((manifest[field] ?? {}) as Record<string, string>),
      );
      expect(declared.filter((name) => serviceNames.includes(name))).toEqual([]);
    },
  );

  it.each(packages.map((dir) => ({ name: relative(REPO_ROOT, dir), dir })))(
    "$name imports no service in its sources",
    ({ dir }) => {
      const files = sourceFiles(dir);
      expect(files.length).toBeGreaterThan(0);
      const offending = files.flatMap((file) =>
        specifiersOf(readFileSync(file, "utf8")).flatMap((specifier) => {
          const service = serviceReachedBy(specifier, file, serviceNames);
          return service ? [`${relative(REPO_ROOT, file)} imports ${specifier}`] : [];
        }),
      );
      expect(offending).toEqual([]);
    },
  );
});

/**
 * Inside a service: `domain/` is pure (no AWS SDK, no HTTP; of the kit only its decision module) and
 * `store/` writes decisions and throws refusals, never HTTP problems; no store file grows past 300 lines.
 */
describe.each(folders(SERVICES_DIR).map((dir) => ({ name: relative(REPO_ROOT, dir), dir })))(
  "$name keeps decide-then-commit layers",
  ({ dir }) => {
    const layer = (name: string) => {
      const files = sourceFiles(join(dir, "src", name)).filter((file) => !file.endsWith(".test.ts"));
      return files.map((file) => ({ file: relative(REPO_ROOT, file), source: readFileSync(file, "utf8") }));
    };

    it("domain/ imports no AWS SDK, no HTTP problems, and of the kit only its decision module", () => {
      const offending = layer("domain").flatMap(({ file, source }) =>
        specifiersOf(source)
          .filter((specifier) => /^@aws-sdk\/|problems|^@cdp\/lambda-kit(?!\/decision$)/.test(specifier))
          .map((specifier) => `${file} imports ${specifier}`),
      );
      expect(offending).toEqual([]);
    });

    it("store/ throws refusals, never HTTP problems, and no store file is over 300 lines", () => {
      const stores = layer("store");
      expect(stores.length).toBeGreaterThan(0);
      for (const { file, source } of stores) {
        expect(source, file).not.toMatch(/\bproblems\b|HttpProblem/);
        expect(source.split("\n").length, file).toBeLessThanOrEqual(300);
      }
    });
  },
);
