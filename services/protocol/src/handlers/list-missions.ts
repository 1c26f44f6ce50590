import { httpHandler } from "@cdp/lambda-kit";
import { listMissions } from "../api.ts";
import { publicMission } from "../domain/missions.ts";
import { courtesyCalls, options } from "./calls-shared.ts";

export const handler = httpHandler(
  listMissions,
  async ({ query: { limit, cursor, ...filter } }) => {
    const page = await courtesyCalls.missions.list(filter, limit, cursor);
    return { status: 200, body: { items: page.items.map(publicMission), nextCursor: page.nextCursor } };
  },
  options,
);
