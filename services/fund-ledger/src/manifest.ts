import { fileURLToPath } from "node:url";
import {
  FiscalYearClosed,
  FundHoldPlaced,
  FundHoldPosted,
  FundHoldPostRequested,
  FundHoldRejected,
  FundHoldRequested,
  FundHoldVoided,
  FundHoldVoidRequested,
  FundJournalPosted,
  LedgerReconciled,
  LedgerReconciliationFailed,
} from "@cdp/contracts";
import { defineSubscription, GSI1, type ServiceManifest, standardTable } from "@cdp/lambda-kit";
import { routes, SERVICE_NAME } from "./api.ts";

export const table = standardTable("FUND_LEDGER_TABLE", [GSI1]);

/** Other services ask for money by event, never over HTTP (the staff exchange will). */
export const holdRequestedSubscription = defineSubscription({
  name: "hold-requested",
  contract: FundHoldRequested,
  handler: "src/handlers/on-hold-requested.ts",
});

/** The requester then posts what it spent of that hold, or voids it, by its reference (see the handlers). */
export const holdPostRequestedSubscription = defineSubscription({
  name: "hold-post-requested",
  contract: FundHoldPostRequested,
  handler: "src/handlers/on-hold-post-requested.ts",
});

export const holdVoidRequestedSubscription = defineSubscription({
  name: "hold-void-requested",
  contract: FundHoldVoidRequested,
  handler: "src/handlers/on-hold-void-requested.ts",
});

export const expireHoldsSchedule = {
  name: "expire-holds",
  expression: "cron(10 0 * * ? *)",
  timezone: "Asia/Tokyo",
  description: "Voids holds whose expiry day has passed (the same as an explicit void)",
  handler: "src/handlers/expire-holds.ts",
} as const;

export const reconciliationSchedule = {
  name: "reconciliation",
  expression: "cron(30 2 * * ? *)",
  timezone: "Asia/Tokyo",
  description: "Recomputes every balance from the entries and compares; a mismatch is published, never fixed silently",
  handler: "src/handlers/reconcile.ts",
} as const;

export const manifest: ServiceManifest = {
  name: SERVICE_NAME,
  title: "Fund Ledger",
  root: fileURLToPath(new URL("..", import.meta.url)),
  table,
  routes,
  subscriptions: [holdRequestedSubscription, holdPostRequestedSubscription, holdVoidRequestedSubscription],
  schedules: [expireHoldsSchedule, reconciliationSchedule],
  publishes: [
    FundHoldPlaced,
    FundHoldRejected,
    FundHoldPosted,
    FundHoldVoided,
    FundJournalPosted,
    FiscalYearClosed,
    LedgerReconciliationFailed,
    LedgerReconciled,
  ],
  seed: "src/seed.ts",
};
