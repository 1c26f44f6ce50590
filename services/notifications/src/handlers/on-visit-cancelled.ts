import { eventHandler } from "@cdp/lambda-kit";
import { visitCancelled } from "../manifest.ts";
import { VisitNotifier } from "../notifier.ts";
import { sesSender } from "../ses-sender.ts";
import { consumerOptions, SEND_RETRY, store } from "./shared.ts";

const send = sesSender();

/** Partners hear of a cancellation only if they were told the visit was confirmed. */
export const handler = eventHandler(
  visitCancelled,
  async (visit, { envelope, log }) => {
    if (visit.previousStatus !== "confirmed") {
      log.info("cancelled before confirmation: partners were never notified", { visitId: visit.visitId });
      return;
    }
    await new VisitNotifier(store, send, SEND_RETRY, log).notify("visit-cancelled", visit, envelope.id, new Date());
  },
  consumerOptions,
);
