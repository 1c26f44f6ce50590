import type { ServiceManifest } from "@cdp/lambda-kit";

export const BENCH_PARTS = ["functions", "ledger", "reports", "load"] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export interface BenchSelection {
  readonly parts: ReadonlySet<BenchPart>;
  /** The services whose functions the functions part measures (the yardsticks always). */
  readonly services: readonly ServiceManifest[];
}

/**
 * What `pnpm bench` measures: every part and every service unless `BENCH_PARTS` (comma-separated, of
 * functions, ledger, reports, load) or `BENCH_SERVICES` (service names) narrow it, e.g. to measure one service's
 * functions again. Anything unknown is refused before anything starts.
 */
export function benchSelection(
  environment: Readonly<Record<string, string | undefined>>,
  manifests: readonly ServiceManifest[],
): BenchSelection {
  const list = (value: string | undefined) =>
    value
      ?.split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  const parts = list(environment.BENCH_PARTS) ?? [...BENCH_PARTS];
  const unknownParts = parts.filter((part) => !(BENCH_PARTS as readonly string[]).includes(part));
  if (unknownParts.length > 0)
    throw new Error(`BENCH_PARTS: no part ${unknownParts.join(", ")} (the parts: ${BENCH_PARTS.join(", ")})`);
  const names = list(environment.BENCH_SERVICES);
  const unknownServices = (names ?? []).filter((name) => !manifests.some((service) => service.name === name));
  if (unknownServices.length > 0)
    throw new Error(
      `BENCH_SERVICES: no service ${unknownServices.join(", ")} (the services: ${manifests.map((s) => s.name).join(", ")})`,
    );
  return {
    parts: new Set(parts as BenchPart[]),
    services: names ? manifests.filter((service) => names.includes(service.name)) : manifests,
  };
}
