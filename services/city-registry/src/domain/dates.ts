/** Calendar arithmetic on `YYYY-MM-DD` strings, in the business calendar (Asia/Tokyo). */

/** The Tokyo calendar day of an instant (shared: @cdp/contracts). */
export { tokyoDate } from "@cdp/contracts";

/** Adds (or with a negative count subtracts) months, clamping to the month's last day (2024-02-29 − 12 months = 2023-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
