import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { ReportTimes } from "../report-timing.ts";
import { report, reportFailure, requiredArgument } from "./runtime.ts";

/**
 * One report function instance in a fresh `node`: loads the timed bundle (`report-timing.ts`, bundled as the report
 * function is: its init), generates the first report asked for (the cold invocation), then the others (warm), and
 * reports each one's step times, the init, the first report's end since the process started, and the process's
 * peak resident memory. One process per history, so the peaks do not mix.
 *
 * Usage: node report-run.mjs <report-timing.mjs> <requests.json: the ReportRequested details, first the cold one>
 */
type Timed = { timedReport(request: unknown): Promise<ReportTimes> };

try {
  const [bundleArg, requestsArg] = process.argv.slice(2);
  const bundlePath = requiredArgument(bundleArg, "bundle");
  const requests = JSON.parse(readFileSync(requiredArgument(requestsArg, "requests"), "utf8")) as unknown[];
  const importStart = performance.now();
  const module = (await import(pathToFileURL(bundlePath).href)) as Partial<Timed>;
  const initSinceStartMs = performance.now();
  const { timedReport } = module;
  if (typeof timedReport !== "function") throw new Error(`${bundlePath} exports no timedReport`);
  const runs: ReportTimes[] = [];
  let coldSinceStartMs = 0;
  for (const request of requests) {
    runs.push(await timedReport(request));
    if (runs.length === 1) coldSinceStartMs = performance.now();
  }
  report({
    ok: true,
    importMs: initSinceStartMs - importStart,
    initSinceStartMs,
    coldSinceStartMs,
    runs,
    // Kilobytes, as getrusage gives it: the most the process held resident at once.
    maxRssKb: process.resourceUsage().maxRSS,
  });
  // The SDK's keep-alive sockets must not keep the process alive.
  process.exit(0);
} catch (error) {
  reportFailure(error);
}
