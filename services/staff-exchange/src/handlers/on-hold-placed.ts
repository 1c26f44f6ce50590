import { eventHandler } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { placementIdOfReference } from "../domain/placement-rules.ts";
import { holdPlacedSubscription, table } from "../manifest.ts";
import { exchange } from "./shared.ts";

/**
 * Saga step 2: the ledger held the money. The estimate's hold makes the placement funded (its partner is
 * then told); a top-up's adds to what is held. A repeat, or an answer for a cancelled placement (whose
 * holds were asked to be voided at cancellation), is a conflict the kit ignores.
 */
export const handler = eventHandler(
  holdPlacedSubscription,
  async (detail, { eventId, correlationId, log }) => {
    const placementId = placementIdOfReference(detail.reference);
    if (!placementId) {
      log.info("hold placed for a reference that is not a placement's", { eventId });
      return;
    }
    const context = { actor: "event:fund-ledger", correlationId, now: new Date() };
    const placement = await exchange.onHoldPlaced(
      placementId,
      { reference: detail.reference, holdId: detail.holdId, amountYen: detail.amountYen },
      context,
    );
    log.info("hold placed", { placementId, status: placement.status });
  },
  // An answer naming a placement this service never made (another requester's slip) is logged and ignored.
  { serviceName: SERVICE_NAME, table, onRefusal: { "not-found": "ignore" } },
);
