import { deadLetterQueueName, OUTBOX_RELAY_CONSUMER, type ServiceManifest } from "@cdp/lambda-kit";
import { scheduleLetterRule } from "./scheduler.ts";

export interface Inventory {
  /** `METHOD /path` of every HTTP route. */
  readonly routes: readonly string[];
  /** Every EventBridge rule: `<service>.<subscription>` and its pattern. */
  readonly rules: readonly { name: string; pattern: Readonly<Record<string, unknown>> }[];
  /** Every schedule: `<service>.<schedule>`, its expression and time zone. */
  readonly schedules: readonly { name: string; expression: string; timezone: string }[];
  /** Every dead-letter queue's name, after the stage's prefix: `<service>-<consumer>`. */
  readonly deadLetterQueues: readonly string[];
}

/** The local cloud names each service's table after the service. */
export function tableNameOf(service: Pick<ServiceManifest, "name">): string {
  return service.name;
}

/** The "rule" a table's stream keeps its dead letters under: what its relay could not publish. */
export const streamLetterRule = (tableName: string): string => `${tableName}-stream`;

/**
 * Every consumer's dead-letter queue, named as in AWS (the kit's `deadLetterQueueName`), with the bus rule, stream or
 * schedule whose dead letters it holds locally: each subscription's, each schedule's (`job-<name>`), the relay's.
 */
export function deadLetterQueuesOf(
  services: readonly ServiceManifest[],
  prefix: string,
): { readonly name: string; readonly rule: string }[] {
  return services.flatMap((service) => [
    ...service.subscriptions.map((sub) => ({
      name: deadLetterQueueName(prefix, service.name, sub.name),
      rule: `${service.name}.${sub.name}`,
    })),
    ...service.schedules.map((schedule) => ({
      name: deadLetterQueueName(prefix, service.name, `job-${schedule.name}`),
      rule: scheduleLetterRule(`${service.name}.${schedule.name}`),
    })),
    {
      name: deadLetterQueueName(prefix, service.name, OUTBOX_RELAY_CONSUMER),
      rule: streamLetterRule(tableNameOf(service)),
    },
  ]);
}

/** What the local cloud serves, in the terms the parity test compares with the synthesized template. */
export function inventoryOf(services: readonly ServiceManifest[]): Inventory {
  return {
    routes: services.flatMap((s) => s.routes.map((r) => `${r.method} ${r.path}`)).sort(),
    rules: services
      .flatMap((s) => s.subscriptions.map((sub) => ({ name: `${s.name}.${sub.name}`, pattern: sub.pattern })))
      .sort((a, b) => a.name.localeCompare(b.name)),
    schedules: services
      .flatMap((s) =>
        s.schedules.map((sc) => ({ name: `${s.name}.${sc.name}`, expression: sc.expression, timezone: sc.timezone })),
      )
      .sort((a, b) => a.name.localeCompare(b.name)),
    deadLetterQueues: deadLetterQueuesOf(services, "")
      .map((queue) => queue.name)
      .sort(),
  };
}
