import type { WriteContext } from "@cdp/lambda-kit";
import { changesOf } from "./domain/changes.ts";
import type { ProjectionStore } from "./store/projection-store.ts";

/** Projects one event, its detail already checked against its contract: each change in its own write. */
export async function projectEvent(
  store: ProjectionStore,
  detailType: string,
  detail: unknown,
  context: WriteContext,
): Promise<void> {
  for (const change of changesOf(detailType, detail)) {
    if (change.type === "entity") await store.change(change.slot, change.next, context);
    else await store.addFundMovements(change.eventId, change.movements, context);
  }
}
