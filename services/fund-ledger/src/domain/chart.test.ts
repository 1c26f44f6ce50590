import { describe, expect, it } from "vitest";
import {
  type AccountInfo,
  accountIds,
  accountInfo,
  BANK,
  DEFAULT_PROGRAMMES,
  INCOME_SOURCES,
  PRINCIPAL,
  phaseAllows,
} from "./chart.ts";
import type { FiscalYearPhase } from "./fiscal-year.ts";

/** The account, failing when the chart does not know it. */
function infoOf(id: string): AccountInfo {
  const info = accountInfo(id);
  if (!info) throw new Error(`expected ${id} to be an account of the chart`);
  return info;
}

describe("accountIds", () => {
  it("names the per-year accounts as the chart reads them back", () => {
    expect(accountIds.income(2026, "investment")).toBe("fy2026:income:investment");
    expect(accountIds.income(2026, "general-account")).toBe("fy2026:income:general-account");
    expect(accountIds.appropriation(2026, "joint-research")).toBe("fy2026:joint-research:appropriation");
    expect(accountIds.commitments(2026, "joint-research")).toBe("fy2026:joint-research:commitments");
    expect(accountIds.expenses(2026, "joint-research")).toBe("fy2026:joint-research:expenses");
  });

  it("every id it makes for the default programmes and income sources is an account of the chart", () => {
    for (const programme of DEFAULT_PROGRAMMES) {
      for (const make of [accountIds.appropriation, accountIds.commitments, accountIds.expenses]) {
        const id = make(2027, programme);
        expect(infoOf(id)).toMatchObject({ id, fiscalYear: 2027, programme });
      }
    }
    for (const source of INCOME_SOURCES) {
      expect(infoOf(accountIds.income(2027, source))).toMatchObject({ kind: "income", fiscalYear: 2027 });
    }
  });
});

describe("accountInfo", () => {
  it("the bank deposit is a fund-wide debit account that never goes below zero", () => {
    expect(accountInfo(BANK)).toEqual({
      id: "bank",
      kind: "bank",
      normalSide: "debit",
      rule: "credits-must-not-exceed-debits",
      fiscalYear: null,
      programme: null,
      name: { ja: "預金", en: "Bank deposit" },
    });
  });

  it("the principal is a fund-wide credit account that never goes below zero", () => {
    expect(accountInfo(PRINCIPAL)).toEqual({
      id: "principal",
      kind: "principal",
      normalSide: "credit",
      rule: "debits-must-not-exceed-credits",
      fiscalYear: null,
      programme: null,
      name: { ja: "基金元本", en: "Fund principal" },
    });
  });

  it("income is a credit account of its year, without a balance rule, named by its source", () => {
    expect(accountInfo("fy2026:income:investment")).toEqual({
      id: "fy2026:income:investment",
      kind: "income",
      normalSide: "credit",
      rule: null,
      fiscalYear: 2026,
      programme: null,
      name: { ja: "運用収入", en: "Investment income" },
    });
    expect(accountInfo("fy2026:income:general-account")).toEqual({
      id: "fy2026:income:general-account",
      kind: "income",
      normalSide: "credit",
      rule: null,
      fiscalYear: 2026,
      programme: null,
      name: { ja: "一般会計繰入金", en: "Contributions from the general account" },
    });
  });

  it("a programme's appropriation is a credit account that holds and spending may not overdraw", () => {
    expect(accountInfo("fy2026:joint-research:appropriation")).toEqual({
      id: "fy2026:joint-research:appropriation",
      kind: "appropriation",
      normalSide: "credit",
      rule: "debits-must-not-exceed-credits",
      fiscalYear: 2026,
      programme: "joint-research",
      name: { ja: "FY2026 joint-research 予算配分額", en: "FY2026 joint-research: Appropriation" },
    });
  });

  it("a programme's commitments are a credit account without a rule", () => {
    expect(infoOf("fy2026:joint-research:commitments")).toMatchObject({
      kind: "commitments",
      normalSide: "credit",
      rule: null,
      fiscalYear: 2026,
      programme: "joint-research",
      name: { ja: "FY2026 joint-research 支出負担行為額", en: "FY2026 joint-research: Commitments" },
    });
  });

  it("a programme's expenses are a debit account without a rule", () => {
    expect(infoOf("fy2026:joint-research:expenses")).toMatchObject({
      kind: "expenses",
      normalSide: "debit",
      rule: null,
      fiscalYear: 2026,
      programme: "joint-research",
      name: { ja: "FY2026 joint-research 支出済額", en: "FY2026 joint-research: Expenses" },
    });
  });

  it("reads single-word and many-word programme slugs", () => {
    expect(infoOf("fy2031:scholarships:expenses")).toMatchObject({ programme: "scholarships", fiscalYear: 2031 });
    expect(infoOf("fy2026:talent-development-2:appropriation")).toMatchObject({
      programme: "talent-development-2",
    });
  });

  it("a programme called income still has programme accounts, distinct from the year's income", () => {
    expect(infoOf("fy2026:income:appropriation")).toMatchObject({ kind: "appropriation", programme: "income" });
    expect(infoOf("fy2026:income:investment")).toMatchObject({ kind: "income", programme: null });
  });

  it.each([
    "",
    "Bank",
    "bank ",
    " principal",
    "bank:extra",
    "principal:fy2026",
    "fy26:joint-research:appropriation",
    "fy20260:joint-research:appropriation",
    "2026:joint-research:appropriation",
    "fy2026:joint-research:budget",
    "fy2026:joint-research",
    "fy2026:Joint-Research:appropriation",
    "fy2026:joint_research:appropriation",
    "fy2026:-joint:appropriation",
    "fy2026:joint-:appropriation",
    "fy2026:joint--research:appropriation",
    "fy2026:joint-research:appropriation:extra",
    "fy2026:income:donations",
    "fy2026:income",
    "fyabcd:income:investment",
  ])("rejects %j", (id) => {
    expect(accountInfo(id)).toBeUndefined();
  });
});

describe("phaseAllows", () => {
  const ACTIONS = ["appropriate", "hold", "post", "release", "spend", "income", "close"] as const;
  /** Which journals each phase takes, in the order of ACTIONS. */
  const TABLE: Record<FiscalYearPhase, Record<(typeof ACTIONS)[number], boolean>> = {
    upcoming: { appropriate: true, hold: true, post: false, release: true, spend: false, income: false, close: false },
    open: { appropriate: true, hold: true, post: true, release: true, spend: true, income: true, close: false },
    settlement: {
      appropriate: false,
      hold: false,
      post: true,
      release: true,
      spend: false,
      income: false,
      close: false,
    },
    closable: {
      appropriate: false,
      hold: false,
      post: false,
      release: true,
      spend: false,
      income: false,
      close: true,
    },
    closed: {
      appropriate: false,
      hold: false,
      post: false,
      release: false,
      spend: false,
      income: false,
      close: false,
    },
  };

  const rows = Object.entries(TABLE).flatMap(([phase, actions]) =>
    ACTIONS.map((action) => [phase as FiscalYearPhase, action, actions[action]] as const),
  );

  it.each(rows)("%s: %s → %s", (phase, action, allowed) => {
    expect(phaseAllows(phase, action)).toBe(allowed);
  });

  it("a closed year takes nothing at all", () => {
    expect(ACTIONS.filter((action) => phaseAllows("closed", action))).toEqual([]);
  });

  it("only a closable year may be closed", () => {
    const phases: FiscalYearPhase[] = ["upcoming", "open", "settlement", "closable", "closed"];
    expect(phases.filter((phase) => phaseAllows(phase, "close"))).toEqual(["closable"]);
  });
});
