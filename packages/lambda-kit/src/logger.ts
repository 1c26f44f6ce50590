import { AsyncLocalStorage } from "node:async_hooks";
import type { MiddlewareObj } from "@middy/core";
import type { Context } from "aws-lambda";

/**
 * The kit's structured logger: one JSON line per entry on stdout, with the fields Powertools Logger
 * writes (level, message, timestamp, service, cold_start, function_*, xray_trace_id), so that
 * CloudWatch Logs Insights queries written for Powertools work unchanged. Powertools Logger itself
 * cost 8–13 ms of every cold start here (its module, and a `Console` built on stdout at load); what we
 * use of it is these few lines.
 *
 * Bodies are never logged: they may hold personal data (passport numbers, medical or dietary notes,
 * private e-mail addresses). Callers pass identifiers and counts only.
 */
export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
export type LogAttributes = Readonly<Record<string, unknown>>;

const RANK: Readonly<Record<LogLevel, number>> = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, SILENT: 28 };

function levelOf(value: string | undefined): LogLevel {
  const upper = value?.toUpperCase();
  return upper !== undefined && upper in RANK ? (upper as LogLevel) : "INFO";
}

/** An Error as Powertools writes it: name, message, where it was thrown, the stack, and its cause. */
function errorFields(error: Error): Record<string, unknown> {
  return {
    name: error.name,
    location: error.stack?.split("\n")[1]?.trim().replace(/^at /, "") ?? "",
    message: error.message,
    stack: error.stack,
    ...(error.cause !== undefined && { cause: error.cause instanceof Error ? errorFields(error.cause) : error.cause }),
  };
}

export interface Logger {
  debug(message: string, extra?: LogAttributes): void;
  info(message: string, extra?: LogAttributes): void;
  warn(message: string, extra?: LogAttributes | Error): void;
  error(message: string, extra?: LogAttributes | Error): void;
  /** Keys on every line until removed: the correlation id of the request being served, say. */
  appendKeys(keys: LogAttributes): void;
  removeKeys(keys: readonly string[]): void;
  /** The Lambda context's fields on every line of this invocation. */
  addContext(context: Context): void;
}

/** Set by the first invocation in this process, as Powertools does: `cold_start` is true once. */
let invocations = 0;

/** What a logger adds to every line: the Lambda context's fields and the appended keys. */
interface LoggerState {
  context: Record<string, unknown>;
  keys: Record<string, unknown>;
}

/** Each logger's state within one invocation, when a runtime runs invocations of a module side by side. */
const invocationScope = new AsyncLocalStorage<Map<Logger, LoggerState>>();

/**
 * Runs one invocation with loggers of its own: what it appends, removes and adds as context stays with its lines.
 * Lambda runs one invocation at a time per execution environment, so there the module's one logger is the
 * invocation's; a runtime that invokes one loaded module concurrently (the local cloud) runs each invocation
 * through this, as though each had an environment of its own. Keys appended outside any invocation (at module
 * load) are every invocation's.
 */
export function runInvocation<T>(invocation: () => T): T {
  return invocationScope.run(new Map(), invocation);
}

class JsonLogger implements Logger {
  readonly #threshold: number;
  readonly #service: string;
  /** Outside `runInvocation`: the one state, as in Lambda. */
  readonly #own: LoggerState = { context: {}, keys: {} };
  readonly #write: (line: string) => void;

  get #state(): LoggerState {
    const scope = invocationScope.getStore();
    if (!scope) return this.#own;
    let state = scope.get(this);
    if (!state) {
      state = { context: { ...this.#own.context }, keys: { ...this.#own.keys } };
      scope.set(this, state);
    }
    return state;
  }

  constructor(serviceName: string, level: LogLevel, write: (line: string) => void) {
    this.#service = serviceName;
    this.#threshold = RANK[level];
    this.#write = write;
  }

  debug(message: string, extra?: LogAttributes): void {
    this.#log("DEBUG", message, extra);
  }
  info(message: string, extra?: LogAttributes): void {
    this.#log("INFO", message, extra);
  }
  warn(message: string, extra?: LogAttributes | Error): void {
    this.#log("WARN", message, extra);
  }
  error(message: string, extra?: LogAttributes | Error): void {
    this.#log("ERROR", message, extra);
  }
  appendKeys(keys: LogAttributes): void {
    const state = this.#state;
    state.keys = { ...state.keys, ...keys };
  }
  removeKeys(keys: readonly string[]): void {
    const state = this.#state;
    const kept = { ...state.keys };
    for (const key of keys) delete kept[key];
    state.keys = kept;
  }
  addContext(context: Context): void {
    invocations += 1;
    this.#state.context = {
      cold_start: invocations === 1,
      function_arn: context.invokedFunctionArn,
      function_memory_size: Number(context.memoryLimitInMB),
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
  }

  #log(level: LogLevel, message: string, extra: LogAttributes | Error | undefined): void {
    if (RANK[level] < this.#threshold) return;
    const trace = process.env._X_AMZN_TRACE_ID?.match(/Root=([^;]+)/)?.[1];
    const fields = extra instanceof Error ? { error: errorFields(extra) } : extra;
    const state = this.#state;
    this.#write(
      `${JSON.stringify({
        level,
        message,
        timestamp: new Date().toISOString(),
        service: this.#service,
        ...state.context,
        ...(trace !== undefined && { xray_trace_id: trace }),
        ...state.keys,
        ...fields,
      })}\n`,
    );
  }
}

/**
 * One logger per function, created at module scope. `LOG_LEVEL` (or Lambda's `AWS_LAMBDA_LOG_LEVEL`)
 * sets the least level written; `SILENT` writes nothing. Tests pass `write` to read the lines.
 */
export function createLogger(
  serviceName: string,
  options: { level?: LogLevel; write?: (line: string) => void } = {},
): Logger {
  const level = options.level ?? levelOf(process.env.LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL);
  return new JsonLogger(serviceName, level, options.write ?? ((line) => process.stdout.write(line)));
}

/** middy: the invocation's context on every line the handler writes. */
export function injectLambdaContext(log: Logger): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    before: (request) => {
      log.addContext(request.context);
    },
  };
}
