import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { handlerOf, INIT_ONLY, lambdaContext, report, reportFailure, requiredArgument } from "./runtime.ts";

/**
 * Stands in for the Lambda runtime in a fresh `node`: loads the bundle (the init phase), invokes it once
 * with the event, reports both times and the response, and exits. Nothing else is imported, so what the
 * process does before answering is Node's start-up plus the function's own.
 *
 * Usage: node cold-start.mjs <bundle.mjs> <event.json | --init-only> <function name>
 */
try {
  const [bundleArg, eventArg, nameArg] = process.argv.slice(2);
  const bundlePath = requiredArgument(bundleArg, "bundle");
  if (eventArg === INIT_ONLY) {
    handlerOf(await import(pathToFileURL(bundlePath).href), bundlePath);
    report({ ok: true, sinceProcessStartMs: performance.now() });
    process.exit(0);
  }
  const event: unknown = JSON.parse(readFileSync(requiredArgument(eventArg, "event"), "utf8"));
  const context = lambdaContext(requiredArgument(nameArg, "function name"));

  const importStart = performance.now();
  const handler = handlerOf(await import(pathToFileURL(bundlePath).href), bundlePath);
  const imported = performance.now();
  const response = await handler(event, context);
  const answered = performance.now();

  report({
    ok: true,
    importMs: imported - importStart,
    firstInvokeMs: answered - imported,
    // performance.now() counts from the process's start: Node's own boot is included here.
    sinceProcessStartMs: answered,
    response,
  });
  // A real runtime would wait for the next event; the SDK's keep-alive sockets must not keep this one alive.
  process.exit(0);
} catch (error) {
  reportFailure(error);
}
