import { etag, httpHandler, requireIfMatch } from "@cdp/lambda-kit";
import { editVisit } from "../api.ts";
import { options, scheduling, writeContext } from "./shared.ts";

export const handler = httpHandler(
  editVisit,
  async (request) => {
    const expectedVersion = requireIfMatch(request.headers);
    const visit = await scheduling.edit(request.params.id, request.body, expectedVersion, writeContext(request));
    return { status: 200, body: visit, headers: { etag: etag(visit.version) } };
  },
  options,
);
