import { eventHandler } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { holdVoidRequestedSubscription, table } from "../manifest.ts";
import { ledger } from "./shared.ts";

/**
 * `FundHoldVoidRequested.v1`: "void the hold I asked for under `reference`". Delivered at least once and in any
 * order, so whatever the reference has become:
 * - a hold still held: voided as `POST /holds/{id}/void` voids it (`FundHoldVoided.v1`, the release journal),
 *   also after its year's settlement period, while the year may still be closed;
 * - a request awaiting a second person: withdrawn (the approval request is rejected, with the requester's
 *   reason), so no hold ever results and no approver can approve it; nothing is published;
 * - a reference not seen yet: closed as `voided-before-request`, so its request, when it comes, places nothing
 *   and is ignored as a repeated request is; nothing is published;
 * - a hold posted, voided or expired already, voided when its year closed, or a reference under which no hold
 *   was placed (rejected, or voided before): ignored, nothing written.
 * What the record, the approval request or the hold names but the store cannot find is dead-lettered.
 */
export const handler = eventHandler(
  holdVoidRequestedSubscription,
  async (detail, { eventId, correlationId, log }) => {
    const context = { actor: `event:${detail.requester}`, correlationId, now: new Date() };
    const { requester, reference, reason } = detail;
    const voided = await ledger.voidHoldByReference({ requester, reference, reason, eventId }, context);
    const what = "journalId" in voided ? "hold" : "operation" in voided ? "approval request" : "reference";
    log.info(`${what} voided by event`, { eventId, reference });
  },
  { serviceName: SERVICE_NAME, table, onRefusal: { conflict: "ignore" } },
);
