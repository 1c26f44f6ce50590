import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { LAMBDA_BUNDLE } from "@cdp/lambda-kit/bundling";
import { build } from "esbuild";

export interface BundleSize {
  /** The bundled, minified .mjs as Lambda loads it (its source map excluded). */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Packages installed beside the bundle instead (`runtime.nodeModules`): how many, their files' bytes. */
  readonly installed?: { readonly names: readonly string[]; readonly packages: number; readonly bytes: number };
}

export interface NodeModules {
  /** Kept out of the bundle, installed beside it: the function's `runtime.nodeModules`. */
  readonly names: readonly string[];
  /** Where they resolve from: the service's root, whose lockfile entry the CDK app installs. */
  readonly from: string;
}

/** The folder of a package as `from` resolves it (Node's lookup: each `node_modules` up the tree), its real path. */
function packageFolder(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name} is not installed for ${from}`);
  }
}

function filesBytes(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += entry.name === "node_modules" ? 0 : filesBytes(path);
    else if (entry.isFile()) bytes += statSync(path).size;
  }
  return bytes;
}

/** The packages an install of `names` brings: them and their dependencies, each once, with their files' bytes. */
export function installedClosure(names: readonly string[], from: string): { packages: number; bytes: number } {
  const seen = new Set<string>();
  const visit = (name: string, resolveFrom: string) => {
    const folder = packageFolder(name, resolveFrom);
    if (seen.has(folder)) return;
    seen.add(folder);
    const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, folder);
  };
  for (const name of names) visit(name, from);
  return { packages: seen.size, bytes: [...seen].reduce((sum, folder) => sum + filesBytes(folder), 0) };
}

/**
 * Installs the packages beside the bundle as the CDK app does (`nodeModules`: installed in the asset's
 * `node_modules`), here by linking the very install the service runs its tests with: the version its lockfile pins,
 * its dependencies found beside it as Node finds them.
 */
function installBeside(outFile: string, nodeModules: NodeModules): NonNullable<BundleSize["installed"]> {
  for (const name of nodeModules.names) {
    const link = join(dirname(outFile), "node_modules", name);
    mkdirSync(dirname(link), { recursive: true });
    const target = packageFolder(name, nodeModules.from);
    if (existsSync(link) && realpathSync(link) === target) continue;
    symlinkSync(target, link, "dir");
  }
  return { names: nodeModules.names, ...installedClosure(nodeModules.names, nodeModules.from) };
}

/**
 * Bundles one function as the CDK app deploys it, from the same settings (LAMBDA_BUNDLE, which
 * infra/lib/service-function.ts uses too): ESM for Node 24, minified, tree-shaken, everything inside (the AWS
 * SDK too) but the function's `runtime.nodeModules`, which are installed beside it; the `require` shim, a linked
 * source map as CDK writes it. The esbuild metafile is kept beside the bundle for digging into what makes it big.
 */
export async function bundleFunction(entry: string, outFile: string, nodeModules?: NodeModules): Promise<BundleSize> {
  mkdirSync(dirname(outFile), { recursive: true });
  const result = await build({
    ...LAMBDA_BUNDLE,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    treeShaking: true,
    external: [...(nodeModules?.names ?? [])],
    metafile: true,
    logLevel: "error",
  });
  writeFileSync(outFile.replace(/\.mjs$/, ".meta.json"), JSON.stringify(result.metafile));
  const code = readFileSync(outFile);
  return {
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    ...(nodeModules && nodeModules.names.length > 0 && { installed: installBeside(outFile, nodeModules) }),
  };
}

/** The benchmark's own child-process scripts: plain ESM, so the child starts `node` and nothing else. */
export async function bundleScript(entry: string, outFile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node24",
    logLevel: "error",
  });
}
