import { scheduledJob } from "@cdp/lambda-kit";
import { nationalDaysSchedule } from "../manifest.ts";
import { options, records } from "./records-shared.ts";

/**
 * Every morning in Tokyo: today's greetings are released, then tomorrow's drafted for review. A run that fires
 * twice releases and drafts once. The log names greetings and missions by id only, never a contact.
 */
export const handler = scheduledJob(
  nationalDaysSchedule,
  async ({ now, correlationId, log }) => {
    const run = await records.runNationalDays({ actor: `schedule:${nationalDaysSchedule.name}`, correlationId, now });
    log.info("national days run", {
      released: run.released.length,
      drafted: run.drafted.length,
      skipped: run.skipped,
    });
    return run;
  },
  options,
);
