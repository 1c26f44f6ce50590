import { defineConfig } from "vitest/config";

// Synthesizing bundles every function with esbuild: allow a test file's setup a few minutes.
export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 300_000 } });
