import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["@cdp/dynamodb-local/vitest-setup"],
    testTimeout: 20_000,
    // Handler logs are structured JSON for CloudWatch; tests assert behaviour, not log lines.
    env: { LOG_LEVEL: "SILENT" },
  },
});
