import { type AccountInfo, accountInfo, type Side } from "./chart.ts";
import { addYen } from "./money.ts";

/** TigerBeetle's four counters of an account: what is posted and what is pending (held), each side. */
export interface Counters {
  readonly debitsPosted: number;
  readonly creditsPosted: number;
  readonly debitsPending: number;
  readonly creditsPending: number;
}

export const ZERO: Counters = { debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 };

export const COUNTER_NAMES = ["debitsPosted", "creditsPosted", "debitsPending", "creditsPending"] as const;

export function addCounters(a: Counters, b: Counters): Counters {
  return {
    debitsPosted: addYen(a.debitsPosted, b.debitsPosted),
    creditsPosted: addYen(a.creditsPosted, b.creditsPosted),
    debitsPending: addYen(a.debitsPending, b.debitsPending),
    creditsPending: addYen(a.creditsPending, b.creditsPending),
  };
}

/** One line of a journal: an amount on one side of one account. */
export interface Line {
  readonly account: string;
  readonly side: Side;
  readonly amountYen: number;
}

/** How a journal's lines move the counters: posted, pending (a hold), or a pending amount taken back. */
export type Phase = "posted" | "pending" | "release";

export function countersOf(line: Line, phase: Phase): Counters {
  const amount = phase === "release" ? -line.amountYen : line.amountYen;
  const pending = phase !== "posted";
  return {
    debitsPosted: line.side === "debit" && !pending ? amount : 0,
    creditsPosted: line.side === "credit" && !pending ? amount : 0,
    debitsPending: line.side === "debit" && pending ? amount : 0,
    creditsPending: line.side === "credit" && pending ? amount : 0,
  };
}

/**
 * The balance that the account's rule keeps from going below zero, pending amounts on the checked side
 * included; for an account without a rule, the same figure on its normal side, for information.
 */
export function availableOf(info: Pick<AccountInfo, "normalSide">, c: Counters): number {
  return info.normalSide === "credit"
    ? c.creditsPosted - c.debitsPosted - c.debitsPending
    : c.debitsPosted - c.creditsPosted - c.creditsPending;
}

/** The change a movement makes to the available balance (negative: it takes from it). */
export function availableDelta(info: Pick<AccountInfo, "normalSide">, delta: Counters): number {
  return availableOf(info, delta);
}

export interface Balance {
  readonly account: string;
  readonly counters: Counters;
  /** On the account's normal side: credits − debits for a credit account. */
  readonly posted: number;
  /** Held amounts, on the account's normal side. */
  readonly pending: number;
  readonly available: number;
}

export function balanceOf(account: string, counters: Counters): Balance {
  const info = accountInfo(account);
  if (!info) throw new Error(`not an account of the chart: ${account}`);
  const sign = info.normalSide === "credit" ? 1 : -1;
  return {
    account,
    counters,
    // `|| 0`: a zero balance on a debit account is 0, not -0.
    posted: sign * (counters.creditsPosted - counters.debitsPosted) || 0,
    pending: sign * (counters.creditsPending - counters.debitsPending) || 0,
    available: availableOf(info, counters),
  };
}

/** The movements of a journal per account, in the order the accounts first appear. */
export function movementsOf(lines: readonly Line[], phase: Phase): Map<string, Counters> {
  const movements = new Map<string, Counters>();
  for (const line of lines) {
    movements.set(line.account, addCounters(movements.get(line.account) ?? ZERO, countersOf(line, phase)));
  }
  return movements;
}
