import { httpHandler } from "@cdp/lambda-kit";
import { createConference } from "../api.ts";
import { options, scheduling, writeContext } from "./shared.ts";

export const handler = httpHandler(
  createConference,
  async (request) => {
    const conference = await scheduling.createConference(request.body, writeContext(request));
    return { status: 201, body: conference, headers: { location: `/conferences/${conference.id}` } };
  },
  options,
);
