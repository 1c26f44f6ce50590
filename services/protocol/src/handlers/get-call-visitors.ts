import { httpHandler, problems } from "@cdp/lambda-kit";
import { getCallVisitors } from "../api.ts";
import { courtesyCalls, options } from "./calls-shared.ts";

/** The only way to the visitors: the route admits the protocol office and admin alone, and they are never logged. */
export const handler = httpHandler(
  getCallVisitors,
  async ({ params }) => {
    const visitors = await courtesyCalls.visitors(params.id);
    if (!visitors) throw problems.notFound(`Courtesy call ${params.id}`);
    return { status: 200, body: { callId: params.id, visitors } };
  },
  options,
);
