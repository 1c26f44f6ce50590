import { eventHandler } from "@cdp/lambda-kit";
import { partnerUpdated } from "../manifest.ts";
import { keepPartnerCopy } from "../partner-copies.ts";
import { consumerOptions, store } from "./shared.ts";

/** Replaces the partner copy when the snapshot is newer; an older one is refused as a conflict and ignored. */
export const handler = eventHandler(
  partnerUpdated,
  async (partner, { log }) => {
    await keepPartnerCopy(
      store,
      { partnerId: partner.partnerId, name: partner.name, contacts: partner.contacts, version: partner.version },
      new Date(partner.metadata.occurredAt),
    );
    log.info("partner copy kept", { partnerId: partner.partnerId, version: partner.version });
  },
  consumerOptions,
);
