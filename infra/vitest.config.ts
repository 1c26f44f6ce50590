import { defineConfig } from "vitest/config";

// Synthesizing bundles every function with esbuild: allow a test file's setup a few minutes.
// The benchmark's own tests cover only its pure parts; the benchmark runs with `pnpm bench`, never as a test.
// Unisolated: the test files of a worker share one synthesis of the platform (test/synthesize.ts), which they only
// read; synthesizing the whole platform once per file cost a minute of CPU.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "bench/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    isolate: false,
  },
});
