import { defineConfig } from "vitest/config";

// Starting DynamoDB Local (a JVM) took up to 15 s on a busy 2-core machine: hooks get room for that.
export default defineConfig({ test: { include: ["src/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 } });
