import { eventHandler, Refused } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { courtesyCallCompletedSubscription, table } from "../manifest.ts";
import { store } from "./shared.ts";

/**
 * Records a courtesy call that took place against each partner it was with: an exchange for the dormancy review.
 * Idempotent per event (the kit, on `metadata.eventId`) and per call (the domain refuses a call already recorded).
 * As for visits, every partner is tried before a refusal reaches the kit, which ignores both kinds: an unknown
 * partner is skipped, and a call recorded already changes nothing.
 */
export const handler = eventHandler(
  courtesyCallCompletedSubscription,
  async (call, { eventId, correlationId, log }) => {
    const context = { actor: `event:${SERVICE_NAME}`, correlationId, now: new Date() };
    let refusal: Refused | undefined;
    for (const partnerId of call.partnerIds) {
      const ids = { eventId, partnerId, callId: call.callId };
      try {
        await store.recordCall(partnerId, { callId: call.callId, date: call.date, host: call.host }, context);
        log.info("courtesy call recorded", ids);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        log.info("courtesy call not recorded", { ...ids, refusal: error.refusal.kind });
        refusal ??= error;
      }
    }
    if (refusal) throw refusal;
  },
  { serviceName: SERVICE_NAME, table, onRefusal: { "not-found": "ignore", conflict: "ignore" } },
);
