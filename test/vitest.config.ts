import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    globalSetup: ["./e2e/local-cloud-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One local cloud serves every file; files run one after another so their figures stay readable.
    fileParallelism: false,
  },
});
