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

/** The calendar's, shared by every service: see @cdp/contracts. */
export { fiscalYearOf, tokyoDate } from "@cdp/contracts";

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
