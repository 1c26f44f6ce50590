import { eventHandler, Refused, refuse, Transaction } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { holdRejectedEvent, rejectionReasonOf } from "../domain/decide.ts";
import { holdRequestedSubscription, table } from "../manifest.ts";
import { keys } from "../store/layout.ts";
import { ledger } from "./shared.ts";

/**
 * A hold asked for by event. The requester's reference is the idempotency key: the first request with it
 * is acted on (placed, sent for approval, or rejected with `FundHoldRejected.v1`), any later one is
 * ignored. A refusal the requester can act on (insufficient available, a closed year) is answered by
 * event, not dead-lettered.
 */
export const handler = eventHandler(
  holdRequestedSubscription,
  async (detail, { eventId, correlationId, log }) => {
    const context = { actor: `event:${detail.requester}`, correlationId, now: new Date() };
    const { correlationId: _c, metadata: _m, ...request } = detail;
    const reference = keys.request(detail.requester, detail.reference);
    const claim = (tx: Transaction, result: string) =>
      tx.put(
        { ...reference, eventId, result },
        {
          expression: "attribute_not_exists(pk)",
          onFailed: () => new Refused(refuse.conflict(`${detail.reference} was acted on already`, "requested")),
        },
      );
    try {
      await ledger.requestHold(request, context, undefined, (tx, state) => claim(tx, state.id));
      log.info("hold requested by event", { eventId, reference: detail.reference });
    } catch (error) {
      const reason = error instanceof Refused ? rejectionReasonOf(error.refusal) : undefined;
      if (!(error instanceof Refused) || !reason) throw error;
      const tx = new Transaction(ledger.store.tableName, context);
      claim(tx, `rejected:${reason}`);
      tx.publish(holdRejectedEvent(request, reason, error.message));
      await tx.commit(ledger.store.client);
      log.info("hold request rejected", { eventId, reference: detail.reference, reason });
    }
  },
  { serviceName: SERVICE_NAME, table, onRefusal: { conflict: "ignore" } },
);
