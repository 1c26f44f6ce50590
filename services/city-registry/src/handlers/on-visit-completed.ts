import { eventHandler, Refused } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { table, visitCompletedSubscription } from "../manifest.ts";
import { store } from "./shared.ts";

/**
 * Records a completed visit against each partner it covered. Idempotent twice over: per event
 * (the kit, on `metadata.eventId`) and per visit (the domain refuses a visit already recorded).
 * Every partner is tried before a refusal reaches the kit, whose policy here ignores both refusals
 * recording a visit can meet: an unknown partner is skipped (the registry cannot relate to it) and a
 * visit already recorded changes nothing.
 */
export const handler = eventHandler(
  visitCompletedSubscription,
  async (visit, { eventId, correlationId, log }) => {
    const context = { actor: `event:${SERVICE_NAME}`, correlationId, now: new Date() };
    // Every partner is tried; the first refusal then goes to the kit, which ignores it by this policy.
    let refusal: Refused | undefined;
    for (const partnerId of visit.partnerIds) {
      const ids = { eventId, partnerId, visitId: visit.visitId };
      try {
        const { direction, leaderLevel, startDate, endDate } = visit;
        await store.recordVisit(
          partnerId,
          { visitId: visit.visitId, direction, leaderLevel, startDate, endDate },
          context,
        );
        log.info("visit recorded", ids);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        log.info("visit not recorded", { ...ids, refusal: error.refusal.kind });
        refusal ??= error;
      }
    }
    if (refusal) throw refusal;
  },
  { serviceName: SERVICE_NAME, table, onRefusal: { "not-found": "ignore", conflict: "ignore" } },
);
