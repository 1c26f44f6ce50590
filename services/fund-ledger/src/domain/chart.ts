import type { FiscalYearPhase } from "./fiscal-year.ts";

/**
 * The fund's chart of accounts. Fund-wide: the bank deposit and the principal (net assets not yet
 * appropriated). Per fiscal year: investment income and contributions from the general account
 * (closed into the principal with the year). Per fiscal year and programme:
 * - the appropriation (the budget): credited when appropriated; a hold debits it pending, spending
 *   debits it posted. Its available balance is appropriation − holds − spending, never below zero.
 * - commitments: the other side of every hold (pending) and of every spending (posted), the
 *   obligations incurred;
 * - expenses: what was paid out, against the bank.
 * Closing the year nets commitments against expenses and returns the unspent appropriation to the principal.
 */
export type AccountKind = "bank" | "principal" | "income" | "appropriation" | "commitments" | "expenses";
export type Side = "debit" | "credit";
/** TigerBeetle's balance flags: the checked side never exceeds the other, pending amounts included. */
export type BalanceRule = "debits-must-not-exceed-credits" | "credits-must-not-exceed-debits" | null;

export interface AccountInfo {
  readonly id: string;
  readonly kind: AccountKind;
  readonly normalSide: Side;
  readonly rule: BalanceRule;
  readonly fiscalYear: number | null;
  readonly programme: string | null;
  readonly name: { readonly ja: string; readonly en: string };
}

export const INCOME_SOURCES = ["investment", "general-account"] as const;
export type IncomeSource = (typeof INCOME_SOURCES)[number];

export const BANK = "bank";
export const PRINCIPAL = "principal";

export const DEFAULT_PROGRAMMES = ["scholarships", "joint-research", "staff-exchange", "talent-development"] as const;

export const accountIds = {
  income: (fiscalYear: number, source: IncomeSource) => `fy${fiscalYear}:income:${source}`,
  appropriation: (fiscalYear: number, programme: string) => `fy${fiscalYear}:${programme}:appropriation`,
  commitments: (fiscalYear: number, programme: string) => `fy${fiscalYear}:${programme}:commitments`,
  expenses: (fiscalYear: number, programme: string) => `fy${fiscalYear}:${programme}:expenses`,
};

const ACCOUNT_PATTERN =
  /^(?:bank|principal|fy(\d{4}):income:(investment|general-account)|fy(\d{4}):([a-z0-9]+(?:-[a-z0-9]+)*):(appropriation|commitments|expenses))$/;

const NORMAL_SIDE: Readonly<Record<AccountKind, Side>> = {
  bank: "debit",
  principal: "credit",
  income: "credit",
  appropriation: "credit",
  commitments: "credit",
  expenses: "debit",
};

const RULE: Readonly<Record<AccountKind, BalanceRule>> = {
  bank: "credits-must-not-exceed-debits",
  principal: "debits-must-not-exceed-credits",
  income: null,
  appropriation: "debits-must-not-exceed-credits",
  commitments: null,
  expenses: null,
};

const KIND_NAMES: Readonly<Record<AccountKind, { ja: string; en: string }>> = {
  bank: { ja: "預金", en: "Bank deposit" },
  principal: { ja: "基金元本", en: "Fund principal" },
  income: { ja: "収入", en: "Income" },
  appropriation: { ja: "予算配分額", en: "Appropriation" },
  commitments: { ja: "支出負担行為額", en: "Commitments" },
  expenses: { ja: "支出済額", en: "Expenses" },
};

const INCOME_NAMES: Readonly<Record<IncomeSource, { ja: string; en: string }>> = {
  investment: { ja: "運用収入", en: "Investment income" },
  "general-account": { ja: "一般会計繰入金", en: "Contributions from the general account" },
};

/** What an account id means, or undefined when it is not one of the chart's. */
export function accountInfo(id: string): AccountInfo | undefined {
  const match = ACCOUNT_PATTERN.exec(id);
  if (!match) return undefined;
  const [, incomeYear, source, year, programme, kindName] = match;
  if (id === BANK || id === PRINCIPAL) {
    const kind = id as AccountKind;
    return {
      id,
      kind,
      normalSide: NORMAL_SIDE[kind],
      rule: RULE[kind],
      fiscalYear: null,
      programme: null,
      name: KIND_NAMES[kind],
    };
  }
  if (incomeYear && source) {
    return {
      id,
      kind: "income",
      normalSide: "credit",
      rule: null,
      fiscalYear: Number(incomeYear),
      programme: null,
      name: INCOME_NAMES[source as IncomeSource],
    };
  }
  const kind = kindName as AccountKind;
  const base = KIND_NAMES[kind];
  return {
    id,
    kind,
    normalSide: NORMAL_SIDE[kind],
    rule: RULE[kind],
    fiscalYear: Number(year),
    programme: programme ?? null,
    name: { ja: `FY${year} ${programme} ${base.ja}`, en: `FY${year} ${programme}: ${base.en}` },
  };
}

/** Which journals a fiscal year in a phase takes. */
export function phaseAllows(
  phase: FiscalYearPhase,
  action: "appropriate" | "hold" | "post" | "release" | "spend" | "income" | "close",
): boolean {
  switch (action) {
    case "appropriate":
    case "hold":
      return phase === "upcoming" || phase === "open";
    case "spend":
    case "income":
      return phase === "open";
    case "post":
      return phase === "open" || phase === "settlement";
    case "release":
      return phase !== "closed";
    case "close":
      return phase === "closable";
  }
}
