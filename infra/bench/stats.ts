/** Summary statistics of repeated measurements. Medians, not means, headline the report: one slow outlier
 * (a GC pause, the other core busy) must not move the figure. */

function sortedCopy(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error("no measurements");
  return [...values].sort((a, b) => a - b);
}

/** The p-th percentile (0–100), interpolating linearly between the two nearest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = sortedCopy(values);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (rank - below);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error("no measurements");
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export interface Summary {
  readonly count: number;
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = sortedCopy(values);
  return {
    count: sorted.length,
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: mean(sorted),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}
