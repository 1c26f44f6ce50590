import { scheduledJob } from "@cdp/lambda-kit";
import { overdueGiftsSchedule } from "../manifest.ts";
import { options, records } from "./records-shared.ts";

/**
 * Every morning in Tokyo: received gifts over the threshold declared more than 30 days ago and still not
 * registered are flagged once, and then listed by `GET /gift-declarations?overdue=true`.
 */
export const handler = scheduledJob(
  overdueGiftsSchedule,
  async ({ now, correlationId, log }) => {
    const result = await records.flagOverdueGifts({
      actor: `schedule:${overdueGiftsSchedule.name}`,
      correlationId,
      now,
    });
    log.info("overdue gift declarations flagged", { flagged: result.flagged.length });
    return result;
  },
  options,
);
