import { type FieldError, type Refusal, refuse } from "@cdp/lambda-kit/decision";
import type { Line } from "./balances.ts";
import { accountInfo } from "./chart.ts";
import { sumYen } from "./money.ts";

/** A journal of two or more lines, each a whole positive yen amount on an account of the chart, debits = credits. */
export function journalProblems(lines: readonly Line[]): FieldError[] {
  const errors: FieldError[] = [];
  if (lines.length < 2) errors.push({ path: "lines", message: "a journal has at least two lines" });
  for (const [index, line] of lines.entries()) {
    if (!accountInfo(line.account)) {
      errors.push({ path: `lines.${index}.account`, message: `not an account of the chart: ${line.account}` });
    }
    if (!Number.isSafeInteger(line.amountYen) || line.amountYen <= 0) {
      errors.push({ path: `lines.${index}.amountYen`, message: "must be a whole positive number of yen" });
    }
  }
  if (errors.length === 0) {
    const debits = sumYen(lines.filter((l) => l.side === "debit").map((l) => l.amountYen));
    const credits = sumYen(lines.filter((l) => l.side === "credit").map((l) => l.amountYen));
    if (debits !== credits) {
      errors.push({ path: "lines", message: `debits (${debits}) and credits (${credits}) must be equal` });
    }
  }
  return errors;
}

/** The lines, checked: a refusal naming every problem, or undefined when they hold. */
export function unbalanced(lines: readonly Line[]): Refusal | undefined {
  const errors = journalProblems(lines);
  return errors.length > 0 ? refuse.invalid(errors) : undefined;
}

/** The same lines on the other sides: what a reversing journal posts. */
export function reversedLines(lines: readonly Line[]): Line[] {
  return lines.map((line) => ({ ...line, side: line.side === "debit" ? "credit" : "debit" }));
}

/** Two lines: debit one account, credit another. */
export function transfer(debit: string, credit: string, amountYen: number): Line[] {
  return [
    { account: debit, side: "debit", amountYen },
    { account: credit, side: "credit", amountYen },
  ];
}
