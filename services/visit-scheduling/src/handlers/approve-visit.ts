import { etag, httpHandler } from "@cdp/lambda-kit";
import { approveVisit } from "../api.ts";
import { optionalIfMatch, options, store, writeContext } from "./shared.ts";

export const handler = httpHandler(
  approveVisit,
  async (request) => {
    const visit = await store.transition(
      request.params.id,
      "approve",
      { expectedVersion: optionalIfMatch(request) },
      writeContext(request),
    );
    return { status: 200, body: visit, headers: { etag: etag(visit.version) } };
  },
  options,
);
