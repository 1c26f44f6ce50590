import { httpHandler, problems } from "@cdp/lambda-kit";
import { getPlacementPerson } from "../api.ts";
import { exchange, options } from "./shared.ts";

/** The only way to personal data: the route admits exchange coordinators and admin alone, and it is never logged. */
export const handler = httpHandler(
  getPlacementPerson,
  async ({ params }) => {
    const personal = await exchange.placements.personal(params.id);
    if (!personal) throw problems.notFound(`Placement ${params.id}`);
    return { status: 200, body: { placementId: params.id, personal } };
  },
  options,
);
