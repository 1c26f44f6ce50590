import { eventHandler } from "@cdp/lambda-kit";
import { visitConfirmed } from "../manifest.ts";
import { VisitNotifier } from "../notifier.ts";
import { sesSender } from "../ses-sender.ts";
import { consumerOptions, SEND_RETRY, store } from "./shared.ts";

const send = sesSender();

export const handler = eventHandler(
  visitConfirmed,
  async (visit, { envelope, log }) => {
    await new VisitNotifier(store, send, SEND_RETRY, log).notify("visit-confirmed", visit, envelope.id, new Date());
  },
  consumerOptions,
);
