import { etag, httpHandler, problems } from "@cdp/lambda-kit";
import { getVisit } from "../api.ts";
import { options, scheduling } from "./shared.ts";

export const handler = httpHandler(
  getVisit,
  async ({ params }) => {
    const visit = await scheduling.visits.get(params.id);
    if (!visit) throw problems.notFound(`Visit ${params.id}`);
    return { status: 200, body: visit, headers: { etag: etag(visit.version) } };
  },
  options,
);
