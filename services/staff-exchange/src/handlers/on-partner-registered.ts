import { eventHandler } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { partnerRegisteredSubscription, table } from "../manifest.ts";
import { exchange } from "./shared.ts";

/** A programme rests on a partner the registry knows: this keeps the list of those. */
export const handler = eventHandler(
  partnerRegisteredSubscription,
  async (partner, { correlationId, log }) => {
    await exchange.programmes.keepPartner(partner, { actor: "event:city-registry", correlationId, now: new Date() });
    log.info("partner known", { partnerId: partner.partnerId });
  },
  { serviceName: SERVICE_NAME, table },
);
