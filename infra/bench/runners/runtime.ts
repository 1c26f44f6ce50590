/** What the runners share: the Lambda context, loading the handler, and the report channel to the benchmark. */
import { randomUUID } from "node:crypto";
import { writeSync } from "node:fs";
import type { Context } from "aws-lambda";

/** A complete Lambda context, as the runtime passes one with every invocation. */
export function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 10_000;
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `bench/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** In place of the event file: load the bundle, report, and exit without invoking it (Lambda's INIT alone). */
export const INIT_ONLY = "--init-only";

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** The runners report on fd 3, one JSON line, so the functions' own logs on stdout never get in the way. */
const REPORT_FD = 3;

export function report(message: unknown): void {
  writeSync(REPORT_FD, `${JSON.stringify(message)}\n`);
}

export function reportFailure(error: unknown): never {
  report({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}

export function handlerOf(module: { handler?: unknown }, bundlePath: string): LambdaHandler {
  if (typeof module.handler !== "function") throw new Error(`${bundlePath} exports no handler`);
  return module.handler as LambdaHandler;
}

export function requiredArgument(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`missing argument: ${name}`);
  return value;
}
