import { httpHandler, problems } from "@cdp/lambda-kit";
import { getVisitMembers } from "../api.ts";
import { options, scheduling } from "./shared.ts";

/** The only way to personal data: the route admits protocol and admin alone, and it is never logged. */
export const handler = httpHandler(
  getVisitMembers,
  async ({ params }) => {
    const members = await scheduling.visits.members(params.id);
    if (!members) throw problems.notFound(`Visit ${params.id}`);
    return { status: 200, body: { items: members } };
  },
  options,
);
