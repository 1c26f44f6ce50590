import { defineConfig } from "vitest/config";
import e2e, { CLOUDS_OF_THEIR_OWN } from "./vitest.config.ts";

/**
 * The suites that start local clouds of their own (starting, stopping and restarting them is what they test), with
 * no shared cloud: a turbo task of its own (`test:clouds`), so that on two cores it runs beside the other suites.
 */
export default defineConfig({
  test: { ...e2e.test, include: CLOUDS_OF_THEIR_OWN, exclude: [], globalSetup: [] },
});
