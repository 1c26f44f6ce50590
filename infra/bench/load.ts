import { killLoadChildren, loadReport, loadSettingsFrom, measureLoad, writeLoadResults } from "./load-bench.ts";

/**
 * `pnpm --filter @cdp/infra bench:load`: the load part of `pnpm bench` alone. `BENCH_LOAD_SECONDS` (30 by default)
 * sets each scenario's length, `BENCH_LOAD_CONNECTIONS` (10) the connections, `BENCH_LOAD_SCENARIOS` which to run
 * (`partners`, `visits-list`, `visits-propose-approve`; the bare route always runs), `BENCH_LOAD_PROFILE=1` adds a
 * CPU profile of the local cloud's main thread per scenario. Exits non-zero when any scenario had an error, a
 * timeout or a non-2xx answer.
 */
const stopOnSignal = () => {
  killLoadChildren();
  process.exit(130);
};
process.once("SIGINT", stopOnSignal).once("SIGTERM", stopOnSignal);

const run = await measureLoad(loadSettingsFrom(process.env));
console.log(`\n${loadReport(run)}`);
console.log(`Load figures written to ${writeLoadResults(run)}`);
if (!run.verdict.ok) process.exitCode = 1;
