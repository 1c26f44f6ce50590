import { eventHandler } from "@cdp/lambda-kit";
import { visitCancelled } from "../manifest.ts";
import { PartnerNotifier } from "../notifier.ts";
import { sesSender } from "../ses-sender.ts";
import { consumerOptions, SEND_RETRY, store } from "./shared.ts";

/** Created once per function instance: the SES client and the store are reused across events. */
const notifier = new PartnerNotifier(store, sesSender(), SEND_RETRY);

/**
 * Partners hear of a cancellation only if they were told the visit was confirmed; otherwise the
 * notifier refuses it as a conflict, which the kit ignores.
 */
export const handler = eventHandler(
  visitCancelled,
  async (visit, { eventId, correlationId, log }) => {
    await notifier.notify({ kind: "visit-cancelled", visit }, eventId, new Date(), log, correlationId);
  },
  consumerOptions,
);
