import { describe, expect, it } from "vitest";
import { addYen, sumYen, YenOverflow } from "./money.ts";

const MAX = Number.MAX_SAFE_INTEGER;

describe("addYen", () => {
  it("adds whole yen exactly", () => {
    expect(addYen(8_000_000_000, 1)).toBe(8_000_000_001);
    expect(addYen(-5, 3)).toBe(-2);
    expect(addYen(0, 0)).toBe(0);
  });

  it("is exact right up to Number.MAX_SAFE_INTEGER, on both signs", () => {
    expect(addYen(MAX - 1, 1)).toBe(MAX);
    expect(addYen(1, MAX - 1)).toBe(MAX);
    expect(addYen(-(MAX - 1), -1)).toBe(-MAX);
    expect(addYen(MAX, -MAX)).toBe(0);
  });

  it("throws YenOverflow one yen beyond the exact range, rather than rounding", () => {
    expect(() => addYen(MAX, 1)).toThrow(YenOverflow);
    expect(() => addYen(1, MAX)).toThrow(YenOverflow);
    expect(() => addYen(-MAX, -1)).toThrow(YenOverflow);
    expect(() => addYen(MAX, MAX)).toThrow(YenOverflow);
    expect(() => addYen(-MAX, -MAX)).toThrow(YenOverflow);
  });

  it("throws YenOverflow when an operand is already beyond the exact range, even if the sum would look safe", () => {
    // An amount past 2^53 − 1 is already a rounded number: its sum cannot be trusted even when it looks small.
    expect(() => addYen(MAX + 2, -(MAX + 2))).toThrow(YenOverflow);
    expect(() => addYen(2 ** 60, -(2 ** 60))).toThrow(YenOverflow);
  });

  it("refuses fractions and non-numbers: yen have no minor unit", () => {
    expect(() => addYen(0.5, 1)).toThrow(YenOverflow);
    expect(() => addYen(1, Number.NaN)).toThrow(YenOverflow);
    expect(() => addYen(Number.POSITIVE_INFINITY, 1)).toThrow(YenOverflow);
  });

  it("is an Error named YenOverflow that names the operands", () => {
    let thrown: unknown;
    try {
      addYen(MAX, 1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe("YenOverflow");
    expect((thrown as Error).message).toContain(`${MAX} + 1 is beyond the exact range`);
  });
});

describe("sumYen", () => {
  it("is zero for no amounts", () => {
    expect(sumYen([])).toBe(0);
  });

  it("sums any iterable exactly", () => {
    expect(sumYen([1_000_000, 2_500_000, -500_000])).toBe(3_000_000);
    expect(sumYen(new Set([1, 2, 3]))).toBe(6);
    function* amounts() {
      yield 7;
      yield 8;
    }
    expect(sumYen(amounts())).toBe(15);
  });

  it("reaches Number.MAX_SAFE_INTEGER exactly", () => {
    expect(sumYen([MAX - 10, 4, 6])).toBe(MAX);
    expect(sumYen([-(MAX - 10), -4, -6])).toBe(-MAX);
  });

  it("throws YenOverflow as soon as a running total leaves the exact range, on either sign", () => {
    expect(() => sumYen([MAX, 1])).toThrow(YenOverflow);
    expect(() => sumYen([-MAX, -1])).toThrow(YenOverflow);
    // Even when later amounts would bring the total back: an intermediate total past the range is already inexact.
    expect(() => sumYen([MAX, 1, -1])).toThrow(YenOverflow);
    expect(() => sumYen([2 ** 52, 2 ** 52])).toThrow(YenOverflow);
  });
});
