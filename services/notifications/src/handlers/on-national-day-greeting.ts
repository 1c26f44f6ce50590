import { eventHandler } from "@cdp/lambda-kit";
import { nationalDayGreeting } from "../manifest.ts";
import { PartnerNotifier } from "../notifier.ts";
import { sesSender } from "../ses-sender.ts";
import { consumerOptions, SEND_RETRY, store } from "./shared.ts";

/** Created once per function instance: the SES client and the store are reused across events. */
const notifier = new PartnerNotifier(store, sesSender(), SEND_RETRY);

/**
 * A mission's national day: each official the protocol office released the greeting to gets it once (the notice id
 * is the greeting's, which is the mission's and the year's), logged like every notice.
 */
export const handler = eventHandler(
  nationalDayGreeting,
  async (greeting, { eventId, correlationId, log }) => {
    await notifier.notify({ kind: "national-day-greeting", greeting }, eventId, new Date(), log, correlationId);
  },
  consumerOptions,
);
