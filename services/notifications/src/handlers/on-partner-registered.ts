import { eventHandler } from "@cdp/lambda-kit";
import { partnerRegistered } from "../manifest.ts";
import { keepPartnerCopy } from "../partner-copies.ts";
import { consumerOptions, store } from "./shared.ts";

/**
 * Keeps this service's own copy of a partner's name and contacts: it never reads the registry's table.
 * A copy older than the one kept is refused as a conflict, which the kit ignores.
 */
export const handler = eventHandler(
  partnerRegistered,
  async (partner, { log }) => {
    await keepPartnerCopy(
      store,
      {
        partnerId: partner.partnerId,
        name: partner.name,
        contacts: partner.contacts ?? [],
        version: partner.version ?? 1,
      },
      new Date(partner.metadata.occurredAt),
    );
    log.info("partner copy kept", { partnerId: partner.partnerId, contacts: partner.contacts?.length ?? 0 });
  },
  consumerOptions,
);
