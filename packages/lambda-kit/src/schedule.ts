import middy from "@middy/core";
import type { Context } from "aws-lambda";
import * as z from "zod/mini";
import type { Logger } from "./logger.ts";
import { createLogger, injectLambdaContext } from "./logger.ts";
import type { ScheduleSpec } from "./manifest.ts";
import { FunctionMetrics, METRIC } from "./metrics.ts";

/** What EventBridge Scheduler sends (we configure `scheduledTime` from `<aws.scheduler.scheduled-time>`). */
export const ScheduledInput = z.looseObject({ scheduledTime: z.optional(z.iso.datetime({ offset: true })) });

export interface ScheduleContext {
  /** The time the run stands for: the scheduled time, not when the function happened to start. */
  readonly now: Date;
  readonly correlationId: string;
  readonly log: Logger;
}

export function scheduledJob<Result>(
  schedule: ScheduleSpec,
  run: (context: ScheduleContext) => Promise<Result>,
  options: { serviceName: string },
): (event: unknown, context: Context) => Promise<Result> {
  const log = createLogger(options.serviceName);
  const metrics = new FunctionMetrics(options.serviceName, { schedule: schedule.name });
  const core = async (event: unknown, context: Context): Promise<Result> => {
    const input = ScheduledInput.safeParse(event ?? {});
    const now = input.success && input.data.scheduledTime ? new Date(input.data.scheduledTime) : new Date();
    const correlationId = `${schedule.name}:${context.awsRequestId}`;
    log.appendKeys({ correlationId, schedule: schedule.name });
    try {
      const result = await run({ now, correlationId, log });
      log.info("scheduled job done");
      metrics.count(METRIC.jobSucceeded);
      return result;
    } catch (error) {
      metrics.count(METRIC.jobFailed);
      throw error;
    } finally {
      log.removeKeys(["correlationId", "schedule"]);
    }
  };
  return middy<unknown, Result>()
    .use(injectLambdaContext(log))
    .handler((event, context) => metrics.around(() => core(event, context)));
}
