import { eventHandler } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { placementIdOfReference } from "../domain/placement-rules.ts";
import { holdRejectedSubscription, table } from "../manifest.ts";
import { exchange } from "./shared.ts";

/**
 * Saga step 2, refused: the estimate's refusal makes the placement funding-rejected with the ledger's
 * reason (listed by `GET /placements?status=funding-rejected`); a top-up's is recorded on the placement.
 */
export const handler = eventHandler(
  holdRejectedSubscription,
  async (detail, { eventId, correlationId, log }) => {
    const placementId = placementIdOfReference(detail.reference);
    if (!placementId) {
      log.info("hold rejected for a reference that is not a placement's", { eventId });
      return;
    }
    const context = { actor: "event:fund-ledger", correlationId, now: new Date() };
    const placement = await exchange.onHoldRejected(
      placementId,
      { reference: detail.reference, reason: detail.reason, detail: detail.detail },
      context,
    );
    log.info("hold rejected", { placementId, status: placement.status, reason: detail.reason });
  },
  // An answer naming a placement this service never made (another requester's slip) is logged and ignored.
  { serviceName: SERVICE_NAME, table, onRefusal: { "not-found": "ignore" } },
);
