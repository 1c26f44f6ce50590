import { etag, httpHandler, problems } from "@cdp/lambda-kit";
import { getMission } from "../api.ts";
import { publicMission } from "../domain/missions.ts";
import { courtesyCalls, options } from "./calls-shared.ts";

/** Every reader's view: the mission without its contacts (those are `GET /missions/{id}/contacts`). */
export const handler = httpHandler(
  getMission,
  async ({ params }) => {
    const mission = await courtesyCalls.missions.get(params.id);
    if (!mission) throw problems.notFound(`Mission ${params.id}`);
    return { status: 200, body: publicMission(mission), headers: { etag: etag(mission.version) } };
  },
  options,
);
