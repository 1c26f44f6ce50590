import { scheduledJob } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { reconciliationSchedule } from "../manifest.ts";
import { reconcile } from "../reconciliation.ts";
import { ledger, reads } from "./shared.ts";

export const handler = scheduledJob(
  reconciliationSchedule,
  async ({ now, correlationId, log }) => {
    const run = await reconcile(ledger.store, reads, {
      actor: `schedule:${reconciliationSchedule.name}`,
      correlationId,
      now,
    });
    if (run.ok) log.info("ledger reconciled", { accounts: run.accounts });
    else log.error("ledger reconciliation failed", { mismatches: run.mismatches.length });
    return { ok: run.ok, accounts: run.accounts, mismatches: run.mismatches.length };
  },
  { serviceName: SERVICE_NAME },
);
