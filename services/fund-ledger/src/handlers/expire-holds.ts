import { scheduledJob } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { expireHoldsSchedule } from "../manifest.ts";
import { expireHolds } from "../year-end.ts";
import { ledger, reads } from "./shared.ts";

export const handler = scheduledJob(
  expireHoldsSchedule,
  async ({ now, correlationId, log }) => {
    const expired = await expireHolds(ledger, reads, {
      actor: `schedule:${expireHoldsSchedule.name}`,
      correlationId,
      now,
    });
    log.info("holds expired", { expired });
    return { expired };
  },
  { serviceName: SERVICE_NAME },
);
