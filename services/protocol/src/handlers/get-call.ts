import { etag, httpHandler, problems } from "@cdp/lambda-kit";
import { getCall } from "../api.ts";
import { courtesyCalls, options } from "./calls-shared.ts";

/** Every reader's view: the call without its visitors (those are `GET /calls/{id}/visitors`). */
export const handler = httpHandler(
  getCall,
  async ({ params }) => {
    const call = await courtesyCalls.calls.get(params.id);
    if (!call) throw problems.notFound(`Courtesy call ${params.id}`);
    return { status: 200, body: call, headers: { etag: etag(call.version) } };
  },
  options,
);
