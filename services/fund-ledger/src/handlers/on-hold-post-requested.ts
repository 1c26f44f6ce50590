import { eventHandler } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { holdPostRequestedSubscription, table } from "../manifest.ts";
import { ledger } from "./shared.ts";

/**
 * `FundHoldPostRequested.v1`: "post this much of the hold I asked for under `reference`, release the rest".
 * The hold is found through the reference's request record (an approved request leads to its hold) and posted
 * as `POST /holds/{id}/post` posts it: `FundHoldPosted.v1`, the release and posting journals. 0 posts nothing
 * and releases all, as a void: `FundHoldVoided.v1`. Delivered at least once and in any order:
 * - a reference not seen yet, or whose request still awaits approval: retried (the requester posts only after
 *   `FundHoldPlaced.v1`, so its request is on its way); the bus retries for up to six hours, then dead-letters;
 * - a hold posted or voided already (a repeated post, a post after a void, a post of 0 after an expiry), or a
 *   reference under which no hold was placed (rejected, voided before its request): ignored, nothing written;
 * - more than is held (`post-exceeds-hold`: the requester asks for a top-up hold under a reference of its own
 *   first), a hold that expired (`hold-expired`), a hold voided when its year closed (`fiscal-year-closed`), a
 *   year past its settlement period (`fiscal-year-ended`) or not started (`fiscal-year-not-started`), the bank
 *   short (`insufficient-available`): dead-lettered with the rule and the reason, for the fund's staff to act on
 *   (nothing was spent: they spend with `POST /expenses`, or the requester asks for a new hold).
 */
export const handler = eventHandler(
  holdPostRequestedSubscription,
  async (detail, { eventId, correlationId, log }) => {
    const context = { actor: `event:${detail.requester}`, correlationId, now: new Date() };
    const { requester, reference, amountYen } = detail;
    const hold = await ledger.postHoldByReference({ requester, reference, amountYen }, context);
    log.info("hold posted by event", { eventId, reference, holdId: hold.id, status: hold.status });
  },
  {
    serviceName: SERVICE_NAME,
    table,
    onRefusal: { "not-found": "retry", conflict: "ignore", "rule-broken": "dead-letter" },
  },
);
