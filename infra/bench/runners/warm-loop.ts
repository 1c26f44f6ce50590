import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { handlerOf, lambdaContext, report, reportFailure, requiredArgument } from "./runtime.ts";

/**
 * A warm function instance: invokes the handler `warmup` times unmeasured (JIT, connection pool), then
 * `count` times, timing each invocation alone. Stops at the first answer neither 2xx nor 3xx (a route's redirect)
 * and reports it; the benchmark judges it against the route's own statuses.
 *
 * Usage: node warm-loop.mjs <bundle.mjs> <event.json> <function name> <warmup> <count>
 */
try {
  const [bundleArg, eventArg, nameArg, warmupArg, countArg] = process.argv.slice(2);
  const bundlePath = requiredArgument(bundleArg, "bundle");
  const event: unknown = JSON.parse(readFileSync(requiredArgument(eventArg, "event"), "utf8"));
  const functionName = requiredArgument(nameArg, "function name");
  const warmup = Number(requiredArgument(warmupArg, "warmup"));
  const count = Number(requiredArgument(countArg, "count"));
  const handler = handlerOf(await import(pathToFileURL(bundlePath).href), bundlePath);

  const microseconds: number[] = [];
  let unexpected: unknown;
  for (let i = 0; i < warmup + count; i++) {
    const context = lambdaContext(functionName);
    const start = performance.now();
    const response = (await handler(event, context)) as { statusCode?: number } | undefined;
    const elapsed = performance.now() - start;
    if (i >= warmup) microseconds.push(elapsed * 1000);
    const status = response?.statusCode ?? 0;
    if (status < 200 || status >= 400) {
      unexpected = response;
      break;
    }
  }
  report({ ok: true, microseconds, unexpected });
  process.exit(0);
} catch (error) {
  reportFailure(error);
}
