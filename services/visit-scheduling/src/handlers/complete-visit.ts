import { etag, httpHandler } from "@cdp/lambda-kit";
import { completeVisit } from "../api.ts";
import { optionalIfMatch, options, store, writeContext } from "./shared.ts";

export const handler = httpHandler(
  completeVisit,
  async (request) => {
    const visit = await store.transition(
      request.params.id,
      "complete",
      { expectedVersion: optionalIfMatch(request), actualCostYen: request.body.actualCostYen },
      writeContext(request),
    );
    return { status: 200, body: visit, headers: { etag: etag(visit.version) } };
  },
  options,
);
