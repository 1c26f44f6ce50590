import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    // The fuzzing suite runs as a task of its own (`test:fuzz`, vitest.fuzz.config.ts), beside this one.
    exclude: ["e2e/fuzz.test.ts"],
    globalSetup: ["./e2e/local-cloud-setup.ts"],
    // Generous: these end a wait for what will never come. Waits inside the tests are for conditions
    // (the local cloud settled), so a busy machine makes them slower, never wrong.
    testTimeout: 180_000,
    hookTimeout: 240_000,
    // One local cloud serves every file; files run one after another so their figures stay readable.
    fileParallelism: false,
  },
});
