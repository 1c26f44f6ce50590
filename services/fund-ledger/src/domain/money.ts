/**
 * Whole yen as JavaScript integers. A sum is exact only up to 2^53 − 1 (about 9 quadrillion yen, far
 * beyond the fund's 8 billion): past that it is an error, never a silently rounded total.
 */
export class YenOverflow extends Error {
  override readonly name = "YenOverflow";
}

export function addYen(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum) || !Number.isSafeInteger(a) || !Number.isSafeInteger(b)) {
    throw new YenOverflow(`${a} + ${b} is beyond the exact range of yen amounts (±${Number.MAX_SAFE_INTEGER})`);
  }
  return sum;
}

export function sumYen(amounts: Iterable<number>): number {
  let total = 0;
  for (const amount of amounts) total = addYen(total, amount);
  return total;
}
