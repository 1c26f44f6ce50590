import { httpHandler, Refused, refuse } from "@cdp/lambda-kit";
import { getHold } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  getHold,
  async (request) => {
    const hold = await reads.hold(request.params.id);
    if (!hold) throw new Refused(refuse.notFound(`Hold ${request.params.id}`));
    return { status: 200, body: hold, headers: { etag: `"${hold.version}"` } };
  },
  options,
);
