import { defineConfig } from "vitest/config";

/** The vitest set-up of packages whose tests use DynamoDB Local: one instance for the run, quiet handler logs. */
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["@cdp/dynamodb-local/vitest-setup"],
    testTimeout: 20_000,
    // Set-up hooks create tables and seed data: a busy 2-core machine needs more than the default 10 s.
    hookTimeout: 120_000,
    // Handler logs are structured JSON for CloudWatch; tests assert behaviour, not log lines.
    env: { LOG_LEVEL: "SILENT" },
  },
});
