import { describe, expect, it } from "vitest";
import { mean, median, percentile, summarize } from "./stats.ts";

describe("statistics of measurements", () => {
  it("takes the middle value, or the mean of the two middle ones, as the median", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it("interpolates percentiles between the nearest ranks", () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(percentile(values, 0)).toBe(0);
    expect(percentile(values, 90)).toBe(90);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([10, 20], 25)).toBe(12.5);
  });

  it("does not reorder the caller's array", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it("summarizes count, spread and centre", () => {
    const summary = summarize([2, 9, 4, 1]);
    expect(summary).toMatchObject({ count: 4, median: 3, mean: 4, min: 1, max: 9 });
    expect(summary.p90).toBeCloseTo(7.5, 10);
    expect(summary.p99).toBeCloseTo(8.85, 10);
    expect(mean([1, 2, 6])).toBe(3);
  });

  it("refuses an empty series and a percentile out of range", () => {
    expect(() => median([])).toThrow(/no measurements/);
    expect(() => summarize([])).toThrow(/no measurements/);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});
