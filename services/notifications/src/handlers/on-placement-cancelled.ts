import { eventHandler } from "@cdp/lambda-kit";
import { placementCancelled } from "../manifest.ts";
import { PartnerNotifier } from "../notifier.ts";
import { sesSender } from "../ses-sender.ts";
import { consumerOptions, SEND_RETRY, store } from "./shared.ts";

/** Created once per function instance: the SES client and the store are reused across events. */
const notifier = new PartnerNotifier(store, sesSender(), SEND_RETRY);

/**
 * The partner hears of a cancellation only if it was told the placement was funded; otherwise the
 * notifier refuses it as a conflict, which the kit ignores.
 */
export const handler = eventHandler(
  placementCancelled,
  async (placement, { eventId, correlationId, log }) => {
    await notifier.notify({ kind: "placement-cancelled", placement }, eventId, new Date(), log, correlationId);
  },
  consumerOptions,
);
