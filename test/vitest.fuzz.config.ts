import { defineConfig } from "vitest/config";
import e2e from "./vitest.config.ts";

/**
 * The fuzzing suite alone, over a local cloud of its own (unseeded: `e2e/fuzz-cloud-setup.ts`): a turbo task of its
 * own, so that on two cores it runs beside the other end-to-end suites instead of after them; `npm test` runs it as
 * two (`test:fuzz-1`, `test:fuzz-2`: `FUZZ_PART` in fuzz.test.ts), which fit beside the other tasks better than one.
 */
export default defineConfig({
  test: { ...e2e.test, include: ["e2e/fuzz.test.ts"], exclude: [], globalSetup: ["./e2e/fuzz-cloud-setup.ts"] },
});
