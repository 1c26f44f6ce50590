import { randomUUID } from "node:crypto";
import { Refused, Transaction, VersionConflict, type WriteContext, withRetries } from "@cdp/lambda-kit";
import { accountIds, INCOME_SOURCES } from "./domain/chart.ts";
import * as decide from "./domain/decide.ts";
import { fiscalYearOf, tokyoDate } from "./domain/fiscal-year.ts";
import type { FiscalYear } from "./domain/model.ts";
import { writeClosing } from "./store/closing.ts";
import { keys } from "./store/layout.ts";
import type { LedgerReads } from "./store/ledger-reads.ts";
import type { FundLedger } from "./use-cases.ts";

export interface ClosingReport {
  readonly fiscalYear: number;
  readonly voidedHolds: number;
  readonly returnedToPrincipalYen: number;
  readonly journalIds: string[];
}

/**
 * The year's end, after its settlement period: every hold still held is voided, each programme's
 * closing journal returns the unspent appropriation to the principal and nets commitments against
 * expenses, the year's income goes into the principal, and the year is marked closed. Each step is its
 * own transaction and may be repeated: a close that stops half way is finished by closing again.
 */
export async function closeFiscalYear(
  ledger: FundLedger,
  reads: LedgerReads,
  fiscalYear: number,
  context: WriteContext,
): Promise<ClosingReport> {
  const today = tokyoDate(context.now);
  const year = await reads.fiscalYear(fiscalYear);
  const view = { balances: new Map(), fiscalYears: new Map(year ? [[fiscalYear, year]] : []) };
  const notNow = decide.closeYearRefusal(view, fiscalYear, today);
  if (notNow) throw new Refused(notNow);

  let voidedHolds = 0;
  for (const hold of await reads.heldHolds(fiscalYear)) {
    try {
      await ledger.voidHold({ holdId: hold.id, reason: "fiscal-year-closed" }, context);
      voidedHolds++;
    } catch (error) {
      // Posted or voided meanwhile by someone else: resolved all the same.
      if (!(error instanceof Refused && error.refusal.kind === "conflict")) throw error;
    }
  }

  const stamp = ledger.stamp(context);
  const journalIds: string[] = [];
  const closing: Record<string, { spentYen: number; returnedYen: number }> = {};
  let returnedToPrincipalYen = 0;
  const programmes = [
    ...new Set(
      (await reads.accounts())
        .filter((a) => a.startsWith(`fy${fiscalYear}:`) && a.endsWith(":appropriation"))
        .map((a) => a.split(":")[1] ?? ""),
    ),
  ];
  for (const programme of programmes) {
    const accounts = [
      accountIds.appropriation(fiscalYear, programme),
      accountIds.commitments(fiscalYear, programme),
      accountIds.expenses(fiscalYear, programme),
    ];
    await withRetries(async () => {
      const { view: loaded, shards } = await ledger.store.load({ accounts }, true);
      if ([...shards.values()].every((states) => states.every((s) => s.closed))) return; // closed by an earlier run
      const journal = decide.closeProgrammeYear(loaded.balances, fiscalYear, programme, stamp);
      if (journal && !("lines" in journal)) throw new Refused(journal);
      await writeClosing(ledger.store, journal, shards, context);
      if (journal) journalIds.push(journal.id);
      const a = loaded.balances.get(accounts[0] ?? "");
      const e = loaded.balances.get(accounts[2] ?? "");
      const returnedYen = a ? a.creditsPosted - a.debitsPosted : 0;
      closing[programme] = { spentYen: e ? e.debitsPosted - e.creditsPosted : 0, returnedYen };
      returnedToPrincipalYen += returnedYen;
    }, 8);
  }

  const incomeAccounts = INCOME_SOURCES.map((source) => accountIds.income(fiscalYear, source));
  await withRetries(async () => {
    const { view: loaded, shards } = await ledger.store.load({ accounts: incomeAccounts }, true);
    if ([...shards.values()].every((states) => states.every((s) => s.closed))) return;
    const journal = decide.closeIncomeYear(loaded.balances, fiscalYear, INCOME_SOURCES, stamp);
    await writeClosing(ledger.store, journal, shards, context);
    if (journal) journalIds.push(journal.id);
  }, 8);

  const tx = new Transaction(ledger.store.tableName, context);
  const closed: FiscalYear & { closing: typeof closing } = {
    fiscalYear,
    status: "closed",
    closedAt: context.now.toISOString(),
    closedBy: context.actor,
    returnedToPrincipalYen,
    closingJournalIds: journalIds,
    version: (year?.version ?? 0) + 1,
    closing,
  };
  tx.put(
    { ...keys.fiscalYear(fiscalYear), ...closed },
    {
      expression: "attribute_not_exists(#status) OR #status <> :closed",
      names: { "#status": "status" },
      values: { ":closed": "closed" },
      onFailed: () => new VersionConflict(`FY${fiscalYear} was closed meanwhile`),
    },
  );
  tx.audit({
    entity: `fiscal-year/${fiscalYear}`,
    action: "close",
    beforeVersion: year?.version ?? null,
    afterVersion: closed.version,
  });
  tx.publish(decide.fiscalYearClosedEvent(fiscalYear, returnedToPrincipalYen, voidedHolds, journalIds));
  await tx.commit(ledger.store.client);
  return { fiscalYear, voidedHolds, returnedToPrincipalYen, journalIds };
}

/** The daily schedule: holds whose expiry day has passed are voided as expired, in every year not closed. */
export async function expireHolds(ledger: FundLedger, reads: LedgerReads, context: WriteContext): Promise<number> {
  const today = tokyoDate(context.now);
  const current = fiscalYearOf(today);
  let expired = 0;
  // Holds are placed in the current year, the next (ahead of April) or the previous (in its settlement).
  for (const fiscalYear of [current - 1, current, current + 1]) {
    // Listed by expiry day: only holds whose day is before today come back (those without one never do).
    for (const hold of await reads.heldHolds(fiscalYear, today)) {
      try {
        await ledger.voidHold(
          { holdId: hold.id, reason: "expired" },
          { ...context, correlationId: `expiry-${randomUUID()}` },
        );
        expired++;
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
      }
    }
  }
  return expired;
}
