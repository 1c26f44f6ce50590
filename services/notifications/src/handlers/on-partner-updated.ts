import { eventHandler } from "@cdp/lambda-kit";
import { partnerUpdated } from "../manifest.ts";
import { consumerOptions, store } from "./shared.ts";

export const handler = eventHandler(
  partnerUpdated,
  async (partner, { envelope, log }) => {
    const outcome = await store.keepPartner(
      { partnerId: partner.partnerId, name: partner.name, contacts: partner.contacts, version: partner.version },
      new Date(envelope.time),
    );
    log.info("partner copy", { partnerId: partner.partnerId, version: partner.version, outcome });
  },
  consumerOptions,
);
