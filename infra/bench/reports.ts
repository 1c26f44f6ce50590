import { killRunningChildren } from "./child-process.ts";
import { reportsSettingsFrom, runReportsBench } from "./reports-bench.ts";

/**
 * `pnpm --filter @cdp/infra bench:reports`: the reports part of `pnpm bench` alone (see reports-bench.ts).
 * `BENCH_REPORTS_EVENTS=1000,10000` leaves out the 100k history (its write takes a minute or two).
 */
const stop = () => {
  killRunningChildren();
  process.exit(130);
};
process.once("SIGINT", stop).once("SIGTERM", stop);
try {
  const file = await runReportsBench(reportsSettingsFrom(process.env));
  console.log(`Reports figures written to ${file}`);
} catch (error) {
  killRunningChildren();
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
