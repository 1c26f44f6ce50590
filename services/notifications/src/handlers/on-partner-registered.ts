import { eventHandler } from "@cdp/lambda-kit";
import { partnerRegistered } from "../manifest.ts";
import { consumerOptions, store } from "./shared.ts";

/** Keeps this service's own copy of a partner's name and contacts: it never reads the registry's table. */
export const handler = eventHandler(
  partnerRegistered,
  async (partner, { envelope, log }) => {
    const outcome = await store.keepPartner(
      {
        partnerId: partner.partnerId,
        name: partner.name,
        contacts: partner.contacts ?? [],
        version: partner.version ?? 1,
      },
      new Date(envelope.time),
    );
    log.info("partner copy", { partnerId: partner.partnerId, outcome, contacts: partner.contacts?.length ?? 0 });
  },
  consumerOptions,
);
