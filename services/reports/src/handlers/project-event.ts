import { eventHandler } from "@cdp/lambda-kit";
import { projectEvents } from "../manifest.ts";
import { projectEvent } from "../projector.ts";
import { consumerOptions, projections } from "./shared.ts";

/** Every projected event: checked against its own contract by the kit, idempotent per event, then projected. */
export const handler = eventHandler(
  projectEvents,
  (detail, { envelope, correlationId }) =>
    projectEvent(projections, envelope["detail-type"], detail, {
      actor: `event:${projectEvents.name}`,
      correlationId,
      now: new Date(),
    }),
  consumerOptions,
);
