import { defineConfig } from "vitest/config";

/** Suites that start and stop local clouds of their own and use no other: the `test:clouds` task. */
export const CLOUDS_OF_THEIR_OWN = ["e2e/lifecycle.test.ts", "e2e/staff-exchange-saga.test.ts"];

export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    // The fuzzing suite and the suites that start clouds of their own run as tasks of their own (`test:fuzz`,
    // `test:clouds`), beside this one.
    exclude: ["e2e/fuzz.test.ts", ...CLOUDS_OF_THEIR_OWN],
    globalSetup: ["./e2e/local-cloud-setup.ts"],
    // Generous: these end a wait for what will never come. Waits inside the tests are for conditions
    // (the local cloud settled), so a busy machine makes them slower, never wrong.
    testTimeout: 180_000,
    hookTimeout: 240_000,
    // One local cloud serves every file; files run one after another so their figures stay readable.
    fileParallelism: false,
  },
});
