import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { gzipSync } from "node:zlib";
import { LAMBDA_BUNDLE } from "@cdp/lambda-kit/bundling";
import { build } from "esbuild";

export interface BundleSize {
  /** The bundled, minified .mjs as Lambda loads it (its source map excluded). */
  readonly bytes: number;
  readonly gzipBytes: number;
}

/**
 * Bundles one function as the CDK app deploys it, from the same settings (LAMBDA_BUNDLE, which
 * infra/lib/service-function.ts uses too): ESM for Node 24, minified, tree-shaken, everything inside (the AWS
 * SDK too, no externals), the `require` shim, a linked source map as CDK writes it. The esbuild metafile is kept
 * beside the bundle for digging into what makes it big.
 */
export async function bundleFunction(entry: string, outFile: string): Promise<BundleSize> {
  mkdirSync(dirname(outFile), { recursive: true });
  const result = await build({
    ...LAMBDA_BUNDLE,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    treeShaking: true,
    external: [],
    metafile: true,
    logLevel: "error",
  });
  writeFileSync(outFile.replace(/\.mjs$/, ".meta.json"), JSON.stringify(result.metafile));
  const code = readFileSync(outFile);
  return { bytes: code.length, gzipBytes: gzipSync(code).length };
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
