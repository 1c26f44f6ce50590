import { eventHandler } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { table, visitCompletedSubscription } from "../manifest.ts";
import { store } from "./shared.ts";

/**
 * Records a completed visit against each partner it covered. Idempotent twice over: per event id
 * (the kit) and per visit id (a second event for a recorded visit changes nothing).
 */
export const handler = eventHandler(
  visitCompletedSubscription,
  async (visit, { correlationId, log }) => {
    const context = { actor: `event:${SERVICE_NAME}`, correlationId, now: new Date() };
    for (const partnerId of visit.partnerIds) {
      const outcome = await store.recordVisit(
        partnerId,
        {
          visitId: visit.visitId,
          direction: visit.direction,
          leaderLevel: visit.leaderLevel,
          startDate: visit.startDate,
          endDate: visit.endDate,
        },
        context,
      );
      log.info("visit recorded", { partnerId, visitId: visit.visitId, outcome });
    }
  },
  { serviceName: SERVICE_NAME, table },
);
