import { etag, httpHandler, problems } from "@cdp/lambda-kit";
import { getPlacement } from "../api.ts";
import { exchange, options } from "./shared.ts";

export const handler = httpHandler(
  getPlacement,
  async ({ params }) => {
    const placement = await exchange.placements.get(params.id);
    if (!placement) throw problems.notFound(`Placement ${params.id}`);
    return { status: 200, body: placement, headers: { etag: etag(placement.version) } };
  },
  options,
);
