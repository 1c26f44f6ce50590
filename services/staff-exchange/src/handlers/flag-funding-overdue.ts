import { Refused, scheduledJob } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { fundingOverdueSchedule } from "../manifest.ts";
import { exchange } from "./shared.ts";

/** How long an approval may wait for the ledger's answer before a coordinator should look. */
const WAIT_HOURS = Number(process.env.FUNDING_WAIT_HOURS ?? 48);

/**
 * Flags approved placements still waiting for funding after WAIT_HOURS: they are listed by
 * `GET /placements?fundingOverdue=true`. Reads the approved ones a page at a time (a query, never a scan).
 */
export const handler = scheduledJob(
  fundingOverdueSchedule,
  async ({ now, correlationId, log }) => {
    const context = { actor: `schedule:${fundingOverdueSchedule.name}`, correlationId, now };
    let flagged = 0;
    let cursor: string | undefined;
    do {
      const page = await exchange.placements.list({ status: "approved" }, 100, cursor);
      for (const placement of page.items) {
        if (placement.fundingOverdueSince !== null) continue;
        try {
          await exchange.flagFundingOverdue(placement.id, WAIT_HOURS, context);
          flagged++;
        } catch (error) {
          // Not yet due, or answered meanwhile: nothing to flag.
          if (!(error instanceof Refused && error.refusal.kind === "conflict")) throw error;
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    log.info("funding overdue flagged", { flagged });
    return { flagged };
  },
  { serviceName: SERVICE_NAME },
);
