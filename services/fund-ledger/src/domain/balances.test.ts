import { describe, expect, it } from "vitest";
import {
  addCounters,
  availableDelta,
  availableOf,
  balanceOf,
  type Counters,
  countersOf,
  type Line,
  movementsOf,
  ZERO,
} from "./balances.ts";
import { YenOverflow } from "./money.ts";

const CREDIT = { normalSide: "credit" } as const;
const DEBIT = { normalSide: "debit" } as const;

function counters(values: Partial<Counters>): Counters {
  return { ...ZERO, ...values };
}

const APPROPRIATION = "fy2026:joint-research:appropriation";
const COMMITMENTS = "fy2026:joint-research:commitments";
const EXPENSES = "fy2026:joint-research:expenses";

describe("countersOf", () => {
  const debit: Line = { account: APPROPRIATION, side: "debit", amountYen: 700 };
  const credit: Line = { account: COMMITMENTS, side: "credit", amountYen: 700 };

  it("a posted line moves the posted counter of its side only", () => {
    expect(countersOf(debit, "posted")).toEqual(counters({ debitsPosted: 700 }));
    expect(countersOf(credit, "posted")).toEqual(counters({ creditsPosted: 700 }));
  });

  it("a pending line (a hold) moves the pending counter of its side only", () => {
    expect(countersOf(debit, "pending")).toEqual(counters({ debitsPending: 700 }));
    expect(countersOf(credit, "pending")).toEqual(counters({ creditsPending: 700 }));
  });

  it("a release takes the pending amount back", () => {
    expect(countersOf(debit, "release")).toEqual(counters({ debitsPending: -700 }));
    expect(countersOf(credit, "release")).toEqual(counters({ creditsPending: -700 }));
  });

  it("a hold and its release cancel out", () => {
    expect(addCounters(countersOf(debit, "pending"), countersOf(debit, "release"))).toEqual(ZERO);
  });
});

describe("addCounters", () => {
  it("adds counter by counter", () => {
    expect(
      addCounters(
        { debitsPosted: 1, creditsPosted: 2, debitsPending: 3, creditsPending: 4 },
        { debitsPosted: 10, creditsPosted: 20, debitsPending: 30, creditsPending: 40 },
      ),
    ).toEqual({ debitsPosted: 11, creditsPosted: 22, debitsPending: 33, creditsPending: 44 });
  });

  it("throws rather than round a counter beyond the exact range", () => {
    expect(() =>
      addCounters(counters({ creditsPosted: Number.MAX_SAFE_INTEGER }), counters({ creditsPosted: 1 })),
    ).toThrow(YenOverflow);
  });
});

describe("availableOf", () => {
  it("for a credit account: credits posted − debits posted − debits pending", () => {
    // An appropriation of 10M, 3M spent, 2M held: 5M left.
    expect(
      availableOf(CREDIT, counters({ creditsPosted: 10_000_000, debitsPosted: 3_000_000, debitsPending: 2_000_000 })),
    ).toBe(5_000_000);
  });

  it("for a credit account, pending credits are not available yet", () => {
    expect(availableOf(CREDIT, counters({ creditsPosted: 100, creditsPending: 50 }))).toBe(100);
  });

  it("for a debit account: debits posted − credits posted − credits pending", () => {
    // The bank: 8M in, 1M paid out, 500k on its way out.
    expect(
      availableOf(DEBIT, counters({ debitsPosted: 8_000_000, creditsPosted: 1_000_000, creditsPending: 500_000 })),
    ).toBe(6_500_000);
  });

  it("for a debit account, pending debits are not available yet", () => {
    expect(availableOf(DEBIT, counters({ debitsPosted: 100, debitsPending: 50 }))).toBe(100);
  });

  it("can be negative: it reports, the rules refuse", () => {
    expect(availableOf(CREDIT, counters({ creditsPosted: 100, debitsPending: 150 }))).toBe(-50);
    expect(availableOf(DEBIT, counters({ creditsPosted: 1 }))).toBe(-1);
  });

  it("of a movement: negative when it takes from the balance, positive when it gives back", () => {
    const hold = countersOf({ account: APPROPRIATION, side: "debit", amountYen: 400 }, "pending");
    const release = countersOf({ account: APPROPRIATION, side: "debit", amountYen: 400 }, "release");
    expect(availableDelta(CREDIT, hold)).toBe(-400);
    expect(availableDelta(CREDIT, release)).toBe(400);
    const payment = countersOf({ account: "bank", side: "credit", amountYen: 250 }, "posted");
    expect(availableDelta(DEBIT, payment)).toBe(-250);
  });
});

describe("balanceOf", () => {
  it("a credit account shows credits − debits, holds as negative pending, and what is left available", () => {
    expect(
      balanceOf(
        APPROPRIATION,
        counters({ creditsPosted: 10_000_000, debitsPosted: 3_000_000, debitsPending: 2_000_000 }),
      ),
    ).toEqual({
      account: APPROPRIATION,
      counters: counters({ creditsPosted: 10_000_000, debitsPosted: 3_000_000, debitsPending: 2_000_000 }),
      posted: 7_000_000,
      pending: -2_000_000,
      available: 5_000_000,
    });
  });

  it("a credit account's other side of a hold shows as positive pending", () => {
    expect(balanceOf(COMMITMENTS, counters({ creditsPosted: 3_000_000, creditsPending: 2_000_000 }))).toMatchObject({
      posted: 3_000_000,
      pending: 2_000_000,
      available: 3_000_000,
    });
  });

  it("a debit account shows debits − credits, so a bank with money in it is positive", () => {
    const bank = balanceOf("bank", counters({ debitsPosted: 8_000_000, creditsPosted: 3_000_000 }));
    expect(bank).toMatchObject({ posted: 5_000_000, available: 5_000_000 });
    // Nothing pending (−0 for a debit account: equal to 0, and written as 0 in JSON).
    expect(bank.pending === 0).toBe(true);
    expect(JSON.stringify(bank.pending)).toBe("0");
    expect(balanceOf(EXPENSES, counters({ debitsPosted: 3_000_000 }))).toMatchObject({
      posted: 3_000_000,
      available: 3_000_000,
    });
  });

  it("a debit account shows pending debits as positive, pending credits as negative, on its normal side", () => {
    expect(balanceOf(EXPENSES, counters({ debitsPosted: 100, debitsPending: 700 }))).toMatchObject({
      posted: 100,
      pending: 700,
      available: 100,
    });
    expect(balanceOf("bank", counters({ debitsPosted: 1_000, creditsPending: 300 }))).toMatchObject({
      posted: 1_000,
      pending: -300,
      available: 700,
    });
  });

  it("an account never written has a zero balance", () => {
    expect(balanceOf("principal", ZERO)).toMatchObject({ posted: 0, pending: 0, available: 0 });
  });

  it("throws for an id that is not an account of the chart", () => {
    expect(() => balanceOf("fy2026:nowhere", ZERO)).toThrow("not an account of the chart: fy2026:nowhere");
  });
});

describe("movementsOf", () => {
  it("gives each account its movement, in the order the accounts first appear", () => {
    const lines: Line[] = [
      { account: APPROPRIATION, side: "debit", amountYen: 500 },
      { account: COMMITMENTS, side: "credit", amountYen: 500 },
      { account: EXPENSES, side: "debit", amountYen: 500 },
      { account: "bank", side: "credit", amountYen: 500 },
    ];
    const movements = movementsOf(lines, "posted");
    expect([...movements.keys()]).toEqual([APPROPRIATION, COMMITMENTS, EXPENSES, "bank"]);
    expect(movements.get("bank")).toEqual(counters({ creditsPosted: 500 }));
    expect(movements.get(EXPENSES)).toEqual(counters({ debitsPosted: 500 }));
  });

  it("merges the lines on the same account, both sides kept", () => {
    const lines: Line[] = [
      { account: "bank", side: "debit", amountYen: 300 },
      { account: "principal", side: "credit", amountYen: 300 },
      { account: "bank", side: "debit", amountYen: 200 },
      { account: "bank", side: "credit", amountYen: 50 },
      { account: "principal", side: "credit", amountYen: 150 },
    ];
    const movements = movementsOf(lines, "posted");
    expect([...movements.keys()]).toEqual(["bank", "principal"]);
    expect(movements.get("bank")).toEqual(counters({ debitsPosted: 500, creditsPosted: 50 }));
    expect(movements.get("principal")).toEqual(counters({ creditsPosted: 450 }));
  });

  it("moves the pending counters of a hold, and takes them back on release", () => {
    const lines: Line[] = [
      { account: APPROPRIATION, side: "debit", amountYen: 900 },
      { account: COMMITMENTS, side: "credit", amountYen: 900 },
    ];
    expect(movementsOf(lines, "pending")).toEqual(
      new Map([
        [APPROPRIATION, counters({ debitsPending: 900 })],
        [COMMITMENTS, counters({ creditsPending: 900 })],
      ]),
    );
    expect(movementsOf(lines, "release")).toEqual(
      new Map([
        [APPROPRIATION, counters({ debitsPending: -900 })],
        [COMMITMENTS, counters({ creditsPending: -900 })],
      ]),
    );
  });

  it("is empty for no lines", () => {
    expect(movementsOf([], "posted").size).toBe(0);
  });
});
