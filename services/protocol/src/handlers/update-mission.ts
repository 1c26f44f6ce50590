import { etag, httpHandler, optionalIfMatch } from "@cdp/lambda-kit";
import { updateMission } from "../api.ts";
import { courtesyCalls, options, writeContext } from "./calls-shared.ts";

export const handler = httpHandler(
  updateMission,
  async (request) => {
    const mission = await courtesyCalls.updateMission(
      request.params.id,
      request.body,
      optionalIfMatch(request.headers),
      writeContext(request),
    );
    return { status: 200, body: mission, headers: { etag: etag(mission.version) } };
  },
  options,
);
