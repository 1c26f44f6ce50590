import { eventHandler } from "@cdp/lambda-kit";
import { visitConfirmed } from "../manifest.ts";
import { PartnerNotifier } from "../notifier.ts";
import { sesSender } from "../ses-sender.ts";
import { consumerOptions, SEND_RETRY, store } from "./shared.ts";

/** Created once per function instance: the SES client and the store are reused across events. */
const notifier = new PartnerNotifier(store, sesSender(), SEND_RETRY);

export const handler = eventHandler(
  visitConfirmed,
  async (visit, { eventId, correlationId, log }) => {
    await notifier.notify({ kind: "visit-confirmed", visit }, eventId, new Date(), log, correlationId);
  },
  consumerOptions,
);
