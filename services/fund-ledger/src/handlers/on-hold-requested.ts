import { eventHandler } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { holdRequestedSubscription, table } from "../manifest.ts";
import { ledger } from "./shared.ts";

/**
 * A hold asked for by event. The requester's reference is the idempotency key: the first request with it
 * is acted on (placed, sent for approval, or rejected with `FundHoldRejected.v1`), any later one is
 * ignored, as is one whose reference a `FundHoldVoidRequested.v1` closed before it came. A refusal the
 * requester can act on (insufficient available, a closed year) is answered by event, not dead-lettered.
 */
export const handler = eventHandler(
  holdRequestedSubscription,
  async (detail, { eventId, correlationId, log }) => {
    const context = { actor: `event:${detail.requester}`, correlationId, now: new Date() };
    const { correlationId: _c, metadata: _m, ...request } = detail;
    const outcome = await ledger.requestHoldByEvent(request, eventId, context);
    if ("made" in outcome) log.info("hold requested by event", { eventId, reference: detail.reference });
    else log.info("hold request rejected", { eventId, reference: detail.reference, reason: outcome.rejected });
  },
  { serviceName: SERVICE_NAME, table, onRefusal: { conflict: "ignore" } },
);
