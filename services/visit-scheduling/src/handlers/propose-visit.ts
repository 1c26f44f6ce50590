import { etag, httpHandler } from "@cdp/lambda-kit";
import { proposeVisit } from "../api.ts";
import { options, scheduling, writeContext } from "./shared.ts";

export const handler = httpHandler(
  proposeVisit,
  async (request) => {
    const visit = await scheduling.propose(request.body, writeContext(request));
    return { status: 201, body: visit, headers: { location: `/visits/${visit.id}`, etag: etag(visit.version) } };
  },
  options,
);
