import { defineConfig } from "vitest/config";

// Only the pure parts are tested here; the benchmark itself is run with `pnpm bench`, never as a test.
export default defineConfig({ test: { include: ["src/**/*.test.ts"] } });
