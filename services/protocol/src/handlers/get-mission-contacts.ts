import { httpHandler, problems } from "@cdp/lambda-kit";
import { getMissionContacts } from "../api.ts";
import { courtesyCalls, options } from "./calls-shared.ts";

/** The mission's officials: the route admits the protocol office and admin alone, and they are never logged. */
export const handler = httpHandler(
  getMissionContacts,
  async ({ params }) => {
    const mission = await courtesyCalls.missions.get(params.id);
    if (!mission) throw problems.notFound(`Mission ${params.id}`);
    return { status: 200, body: { missionId: mission.id, contacts: mission.contacts } };
  },
  options,
);
