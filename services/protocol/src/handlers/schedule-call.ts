import { etag, httpHandler } from "@cdp/lambda-kit";
import { scheduleCall } from "../api.ts";
import { courtesyCalls, options, writeContext } from "./calls-shared.ts";

/** A call naming a mission that is not registered is refused as the kit refuses any bad field: 400 naming it. */
export const handler = httpHandler(
  scheduleCall,
  async (request) => {
    const call = await courtesyCalls.schedule(request.body, writeContext(request));
    return { status: 201, body: call, headers: { location: `/calls/${call.id}`, etag: etag(call.version) } };
  },
  options,
);
