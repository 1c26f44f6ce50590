import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { runInvocation } from "@cdp/lambda-kit/logger";
import type { Context } from "aws-lambda";

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** A local function's timeout unless its manifest gives its own, as the deployment's. */
export const TIMEOUT_MS = 30_000;

/**
 * A function as the local cloud runs it: the same module the CDK app bundles, loaded on first
 * invocation (a cold start), invoked with a complete Lambda context and the function's timeout.
 * Invocations may overlap, as in Lambda, but share the one loaded module, where Lambda gives each
 * concurrent invocation an execution environment of its own: each runs with loggers of its own
 * (`runInvocation`), so its lines keep its own correlation keys and context.
 */
let invocationsEnded = 0;

/**
 * How many invocations of any local function have ended so far: what a stream poller watches to tell that
 * something may have been written, instead of asking DynamoDB Local again and again while nothing happens.
 */
export const endedInvocations = (): number => invocationsEnded;

export class LocalFunction {
  private loaded: Promise<LambdaHandler> | undefined;

  constructor(
    readonly name: string,
    readonly modulePath: string,
    readonly timeoutMs: number = TIMEOUT_MS,
    readonly memoryMb: number = 512,
  ) {}

  private load(): Promise<LambdaHandler> {
    this.loaded ??= import(pathToFileURL(this.modulePath).href).then((module: { handler?: unknown }) => {
      if (typeof module.handler !== "function") throw new Error(`${this.modulePath} exports no handler`);
      return module.handler as LambdaHandler;
    });
    return this.loaded;
  }

  async invoke(event: unknown): Promise<unknown> {
    const handler = await this.load();
    const deadline = Date.now() + this.timeoutMs;
    const requestId = randomUUID();
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: this.name,
      functionVersion: "$LATEST",
      invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:000000000000:function:${this.name}`,
      memoryLimitInMB: String(this.memoryMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${this.name}`,
      logStreamName: `local/${requestId}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([runInvocation(() => handler(event, context)), timeout]);
    } finally {
      clearTimeout(timer);
      invocationsEnded++;
    }
  }
}
