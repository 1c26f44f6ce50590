import { type ProjectionSet, projectAll, type Slot } from "@cdp/reports/domain/changes";
import { aHistory } from "@cdp/reports/domain/history-builders";
import type { FundMonth } from "@cdp/reports/domain/projections";
import { ProjectionStore } from "@cdp/reports/store/projection-store";
import type { BenchSeed } from "./local-stack.ts";

/**
 * The reports' data for the benchmark: a platform's history of ten fiscal years (FY2017 to FY2026) as the bus
 * carries it (`aHistory`), projected in memory as a rebuild does it (`projectAll`) and written in bulk through the
 * service's own store (`ProjectionStore.writeAll`). The monthly report asked for is November 2026's, as the
 * schedule asks for it on the 1st of December: it reads FY2026's partitions and the small sets only.
 * (Ten years through FY2026 in the main benchmark's table; other shapes in the reports benchmark.)
 */

export const MONTHLY_REPORT = { kind: "progress", from: "2026-11-01", to: "2026-11-30" } as const;

/** A history to build: at least `targetEvents` events over the fiscal years given, spread evenly over its months. */
export interface HistoryShape {
  readonly label: string;
  readonly targetEvents: number;
  readonly firstFiscalYear: number;
  readonly lastFiscalYear: number;
}

/** Ten fiscal years, FY2017 to FY2026: the report's year is a tenth of the history. */
export const tenYears = (targetEvents: number): HistoryShape => ({
  label: `${targetEvents >= 1000 ? `${targetEvents / 1000}k` : targetEvents} over FY2017–2026`,
  targetEvents,
  firstFiscalYear: 2017,
  lastFiscalYear: 2026,
});

/** The report's fiscal year alone: all of the history's events in the report's year. */
export const reportYearOnly = (targetEvents: number): HistoryShape => ({
  label: `${targetEvents >= 1000 ? `${targetEvents / 1000}k` : targetEvents} in FY2026 alone`,
  targetEvents,
  firstFiscalYear: 2026,
  lastFiscalYear: 2026,
});

/** What the main benchmark's reports table holds: the size the report function's aims are set at. */
export const SEEDED_HISTORY = tenYears(10_000);

/** BatchWriteItem calls in flight at once: DynamoDB Local answers one per core at best. */
const WRITERS = 4;

export interface WrittenHistory {
  /** Events in the history (aHistory gives at least the target: a year's baseline comes whole). */
  readonly events: number;
  /** Items written: entities, their by-year copies, fund months. */
  readonly items: number;
  /** Building and projecting the history in memory. */
  readonly projectMs: number;
  /** Writing it to the table. */
  readonly writeMs: number;
}

/** A projection set dealt into `parts` sets, round robin: each item once, its by-year copy with it. */
export function dealt(set: ProjectionSet, parts: number): ProjectionSet[] {
  const entities = Array.from({ length: parts }, () => new Map<string, { slot: Slot; state: unknown }>());
  const fundMonths = Array.from({ length: parts }, () => new Map<string, FundMonth>());
  let index = 0;
  for (const [id, entity] of set.entities) entities[index++ % parts]?.set(id, entity);
  for (const [id, month] of set.fundMonths) fundMonths[index++ % parts]?.set(id, month);
  return entities.map((part, at) => ({ entities: part, fundMonths: fundMonths[at] ?? new Map() }));
}

/** Builds the history, projects it and writes it with the store's `writeAll`, a few writers at once. */
export async function writeHistory(store: ProjectionStore, shape: HistoryShape): Promise<WrittenHistory> {
  const started = performance.now();
  const { targetEvents, firstFiscalYear, lastFiscalYear } = shape;
  const history = aHistory({ firstFiscalYear, lastFiscalYear, targetEvents });
  const set = projectAll(history);
  const projected = performance.now();
  const written = await Promise.all(dealt(set, WRITERS).map((part) => store.writeAll(part)));
  return {
    events: history.length,
    items: written.reduce((sum, items) => sum + items, 0),
    projectMs: projected - started,
    writeMs: performance.now() - projected,
  };
}

/** The main benchmark's reports table: the history the report function's aims are set at. */
export const seedReports: BenchSeed = async ({ store }) => {
  const written = await writeHistory(store("reports", ProjectionStore), SEEDED_HISTORY);
  return (
    `projected history ${SEEDED_HISTORY.label}: ${written.events} events, ${written.items} items, ` +
    `written in ${(written.writeMs / 1000).toFixed(1)} s`
  );
};
