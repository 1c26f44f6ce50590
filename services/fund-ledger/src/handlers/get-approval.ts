import { httpHandler, Refused, refuse } from "@cdp/lambda-kit";
import { getApproval } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  getApproval,
  async (request) => {
    const approval = await reads.approval(request.params.id);
    if (!approval) throw new Refused(refuse.notFound(`Approval request ${request.params.id}`));
    return { status: 200, body: approval };
  },
  options,
);
