import { etag, httpHandler } from "@cdp/lambda-kit";
import { cancelVisit } from "../api.ts";
import { optionalIfMatch, options, store, writeContext } from "./shared.ts";

export const handler = httpHandler(
  cancelVisit,
  async (request) => {
    const visit = await store.transition(
      request.params.id,
      "cancel",
      { expectedVersion: optionalIfMatch(request), reason: request.body.reason },
      writeContext(request),
    );
    return { status: 200, body: visit, headers: { etag: etag(visit.version) } };
  },
  options,
);
