import { eventHandler } from "@cdp/lambda-kit";
import { placementFunded } from "../manifest.ts";
import { PartnerNotifier } from "../notifier.ts";
import { sesSender } from "../ses-sender.ts";
import { consumerOptions, SEND_RETRY, store } from "./shared.ts";

/** Created once per function instance: the SES client and the store are reused across events. */
const notifier = new PartnerNotifier(store, sesSender(), SEND_RETRY);

/** The placement has its money: the partner's contacts are told who is coming, when and where. */
export const handler = eventHandler(
  placementFunded,
  async (placement, { eventId, correlationId, log }) => {
    await notifier.notify({ kind: "placement-funded", placement }, eventId, new Date(), log, correlationId);
  },
  consumerOptions,
);
