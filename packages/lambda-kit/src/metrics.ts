import { AsyncLocalStorage } from "node:async_hooks";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/** The CloudWatch namespace of every metric the platform emits; `service` is a dimension of each. */
export const METRICS_NAMESPACE = "CityDiplomacy";

/**
 * What the kit counts, each a CloudWatch count in {@link METRICS_NAMESPACE} with the dimensions `service` and
 * `operation` (routes), `subscription` (consumers) or `schedule` (jobs). A refusal adds `refusal` (its kind)
 * and, for consumers, `outcome` (ignore, retry, dead-letter).
 */
export const METRIC = {
  /** Every request a route answered, whatever the status. */
  request: "Request",
  /** A 4xx: a domain refusal, or the kit's own (unauthorized, forbidden, too-large…). Dimension `refusal`. */
  requestRefused: "RequestRefused",
  /** A 5xx: the request failed on our side (the function still answered, so Lambda counts no error). */
  requestFailed: "RequestFailed",
  /** An event acted on for the first time (ignored refusals included: they count as refused too). */
  eventConsumed: "EventConsumed",
  /** An event seen before: its stored result was returned and nothing was done again. */
  eventDuplicate: "EventDuplicate",
  /** An event the domain refused. Dimensions `refusal` and `outcome`. */
  eventRefused: "EventRefused",
  /** An invocation that threw: the platform retries it, then dead-letters it. */
  eventFailed: "EventFailed",
  jobSucceeded: "JobSucceeded",
  jobFailed: "JobFailed",
  noticeSent: "NoticeSent",
  noticeFailed: "NoticeFailed",
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/**
 * Metrics are written to stdout in CloudWatch's embedded metric format, which only Lambda's log ingestion turns into
 * metrics. Elsewhere (the local cloud, tests) they would be noise, so they are off unless the process is a Lambda
 * function or `POWERTOOLS_METRICS_DISABLED` says otherwise (`false` turns them on anywhere).
 */
function metricsWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.POWERTOOLS_METRICS_DISABLED !== undefined) return true; // Powertools itself reads the variable.
  return env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
}

/** The metrics of the invocation running now, for code below the kit (a notifier counting its notices). */
const current = new AsyncLocalStorage<FunctionMetrics>();

/**
 * One function's metrics: created once at module scope by a handler factory, flushed as one EMF line at the end of
 * each invocation. Counts of zero are not sent (CloudWatch bills every metric that receives data).
 */
export class FunctionMetrics {
  private readonly metrics: Metrics | undefined;

  constructor(serviceName: string, dimensions: Readonly<Record<string, string>>, env = process.env) {
    this.metrics = metricsWanted(env)
      ? new Metrics({ namespace: METRICS_NAMESPACE, serviceName, defaultDimensions: { ...dimensions } })
      : undefined;
  }

  count(name: MetricName, value = 1): void {
    if (value > 0) this.metrics?.addMetric(name, MetricUnit.Count, value);
  }

  /** A count under extra dimensions (a refusal's kind): its own EMF line, sent at once. */
  countBy(name: MetricName, dimensions: Readonly<Record<string, string>>, value = 1): void {
    if (!this.metrics || value <= 0) return;
    const single = this.metrics.singleMetric();
    for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
    single.addMetric(name, MetricUnit.Count, value);
  }

  /** Runs one invocation with these metrics as the current ones, and flushes what it counted, however it ends. */
  async around<T>(invocation: () => Promise<T>): Promise<T> {
    try {
      return await current.run(this, invocation);
    } finally {
      if (this.metrics?.hasStoredMetrics()) this.metrics.publishStoredMetrics();
    }
  }
}

/** Counts into the running invocation's metrics; does nothing outside one (a unit test, a script). */
export function countMetric(name: MetricName, value = 1): void {
  current.getStore()?.count(name, value);
}
