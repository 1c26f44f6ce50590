import { VisitConfirmed } from "@cdp/contracts";
import { eventHandler } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { governorAbroadSubscription, table } from "../manifest.ts";
import { courtesyCalls } from "./calls-shared.ts";

/**
 * The governor's days abroad, from Visit Scheduling: an approved or confirmed outbound visit the governor leads
 * takes its days, a cancellation frees them (for good, even before its approval arrives). Any other visit
 * changes nothing. Idempotent per event (the kit), and a repeat changes nothing anyway.
 */
export const handler = eventHandler(
  governorAbroadSubscription,
  async (detail, { envelope, eventId, correlationId, log }) => {
    // The kit checked the detail against its own detail-type's contract; the three share the public visit's
    // fields, read here through one of them for their type. Never logged: the head of delegation is named.
    const visit = VisitConfirmed.detail.parse(detail);
    const detailType = envelope["detail-type"];
    const context = { actor: `event:${governorAbroadSubscription.name}`, correlationId, now: new Date() };
    const calendar = await courtesyCalls.onVisitEvent(detailType, visit, context);
    log.info("governor's days abroad brought up to date", {
      eventId,
      visitId: visit.visitId,
      spells: calendar.spells.length,
    });
  },
  { serviceName: SERVICE_NAME, table },
);
