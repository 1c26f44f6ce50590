import { randomUUID } from "node:crypto";
import { EventMetadata } from "@cdp/contracts";
import * as z from "zod/mini";
import { eventBridgeEvent, eventMetadata } from "../src/testing.ts";

/** A small event contract for the kit's own tests. */
export const Ping = {
  source: "test.kit",
  detailType: "Ping.v1",
  detail: z.object({ n: z.int(), correlationId: z.optional(z.string()), metadata: EventMetadata }),
};

/**
 * A delivery of Ping `n` whose own id is `eventId`: each call is a new envelope id, as EventBridge
 * gives every PutEvents entry; `envelopeId` pins it (a replay keeping the envelope).
 */
export function pingDelivery(n: unknown, eventId: string = randomUUID(), envelopeId?: string) {
  return eventBridgeEvent(Ping.source, Ping.detailType, { n, metadata: eventMetadata(eventId) }, { envelopeId });
}
