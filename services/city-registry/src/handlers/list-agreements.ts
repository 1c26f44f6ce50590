import { httpHandler } from "@cdp/lambda-kit";
import { listAgreements } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  listAgreements,
  async ({ query }) => ({
    status: 200,
    body: await reads.listAgreements(query.reviewDueBefore, query.limit, query.cursor),
  }),
  options,
);
