import type { ServiceManifest } from "@cdp/lambda-kit";

export interface Inventory {
  /** `METHOD /path` of every HTTP route. */
  readonly routes: readonly string[];
  /** Every EventBridge rule: `<service>.<subscription>` and its pattern. */
  readonly rules: readonly { name: string; pattern: Readonly<Record<string, unknown>> }[];
  /** Every schedule: `<service>.<schedule>`, its expression and time zone. */
  readonly schedules: readonly { name: string; expression: string; timezone: string }[];
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
  };
}
