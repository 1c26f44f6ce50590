/**
 * Tokyo's fiscal year runs from April 1 to March 31 and is named by the year it starts in: FY2026 is
 * 2026-04-01 to 2027-03-31. April 1 to May 31 after it is the settlement period (出納整理期間): the
 * year takes only the postings of its own holds. From June 1 it may be closed.
 */
export type FiscalYearPhase =
  /** Before April 1: budgets may be appropriated and holds placed ahead, nothing spent. */
  | "upcoming"
  | "open"
  | "settlement"
  /** After May 31 of the next year, not yet closed: holds may only be voided, and the year closed. */
  | "closable"
  | "closed";

export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

export function fiscalYearRange(fiscalYear: number): { start: string; end: string } {
  return { start: `${fiscalYear}-04-01`, end: `${fiscalYear + 1}-03-31` };
}

export function settlementEnd(fiscalYear: number): string {
  return `${fiscalYear + 1}-05-31`;
}

export function phaseOf(fiscalYear: number, today: string, closed: boolean): FiscalYearPhase {
  if (closed) return "closed";
  const { start, end } = fiscalYearRange(fiscalYear);
  if (today < start) return "upcoming";
  if (today <= end) return "open";
  if (today <= settlementEnd(fiscalYear)) return "settlement";
  return "closable";
}

const TOKYO_OFFSET_MS = 9 * 3600 * 1000;

/** The calendar date in Tokyo at an instant (no Intl: see compareCodeUnits in @cdp/contracts). */
export function tokyoDate(at: Date): string {
  return new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}
