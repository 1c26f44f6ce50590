import { httpHandler } from "@cdp/lambda-kit";
import { listPartnerAgreements } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  listPartnerAgreements,
  async ({ params, query }) => ({
    status: 200,
    body: await reads.listPartnerAgreements(params.id, query.limit, query.cursor),
  }),
  options,
);
