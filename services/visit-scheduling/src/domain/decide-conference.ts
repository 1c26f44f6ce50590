import { ConferenceRegistered } from "@cdp/contracts";
import { type Decided, decided, event, refuse, refused } from "@cdp/lambda-kit/decision";
import type { Stamp } from "./decide-visit.ts";
import type { Conference, ConferenceInput } from "./model.ts";

/**
 * Records a conference. Every visit it links must exist: `existingVisitIds` are those of its
 * `visitIds` the store found. Visits are never deleted, so none can vanish before the write.
 */
export function createConference(
  input: ConferenceInput,
  existingVisitIds: ReadonlySet<string>,
  stamp: Stamp,
): Decided<Conference> {
  const missing = input.visitIds.filter((visitId) => !existingVisitIds.has(visitId));
  if (missing.length > 0) return refused(refuse.notFound(`Visit ${missing.join(", ")}`));
  const conference: Conference = {
    ...input,
    id: stamp.newId(),
    bidDeadline: input.bidDeadline ?? null,
    createdAt: stamp.now.toISOString(),
  };
  return decided({
    state: conference,
    expectedVersion: null,
    events: [
      event(ConferenceRegistered, {
        conferenceId: conference.id,
        name: conference.name,
        city: conference.city,
        startDate: conference.startDate,
        endDate: conference.endDate,
        role: conference.role,
        bidDeadline: conference.bidDeadline,
        visitIds: conference.visitIds,
      }),
    ],
    audit: {
      entity: `conference#${conference.id}`,
      action: "conference.created",
      beforeVersion: null,
      afterVersion: 1,
    },
  });
}
