import { defineConfig } from "vitest/config";
import e2e from "./vitest.config.ts";

/**
 * The fuzzing suite alone, over a local cloud of its own (unseeded: `e2e/fuzz-cloud-setup.ts`): a turbo task of its
 * own (`test:fuzz`), so that on two cores it runs beside the other end-to-end suites instead of after them.
 */
export default defineConfig({
  test: { ...e2e.test, include: ["e2e/fuzz.test.ts"], exclude: [], globalSetup: ["./e2e/fuzz-cloud-setup.ts"] },
});
