import { etag, httpHandler } from "@cdp/lambda-kit";
import { registerMission } from "../api.ts";
import { courtesyCalls, options, writeContext } from "./calls-shared.ts";

export const handler = httpHandler(
  registerMission,
  async (request) => {
    const mission = await courtesyCalls.registerMission(request.body, writeContext(request));
    return {
      status: 201,
      body: mission,
      headers: { location: `/missions/${mission.id}`, etag: etag(mission.version) },
    };
  },
  options,
);
