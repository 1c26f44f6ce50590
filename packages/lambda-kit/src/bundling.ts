import { fileURLToPath } from "node:url";

/**
 * How every function is bundled, by the CDK app and by `pnpm bench` alike: one minified ESM file
 * for Node 24 with the AWS SDK clients inside (the versions we test, not the runtime's).
 */
export const LAMBDA_BUNDLE = {
  format: "esm",
  platform: "node",
  target: "node24",
  /** The ESM builds tree-shake; the CommonJS ones (`main`) do not. */
  mainFields: ["module", "main"],
  minify: true,
  /**
   * Source maps keep stack traces readable in the logs, but Node parses them when the bundle loads:
   * without the sources inside, the map is a third the size and a cold start ~45 ms shorter.
   */
  sourcemap: true,
  sourcesContent: false,
  legalComments: "none",
  charset: "utf8",
  /** Lambda hands credentials in environment variables; see lambda-credentials.ts. */
  alias: { "@aws-sdk/credential-provider-node": fileURLToPath(new URL("./lambda-credentials.ts", import.meta.url)) },
  /** CommonJS dependencies bundled into ESM still call `require`. */
  banner:
    'import { createRequire as cdpCreateRequire } from "node:module"; const require = cdpCreateRequire(import.meta.url);',
} as const;
