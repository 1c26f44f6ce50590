import { httpHandler } from "@cdp/lambda-kit";
import { listAgreements } from "../api.ts";
import { options, store } from "./shared.ts";

export const handler = httpHandler(
  listAgreements,
  async ({ query }) => ({
    status: 200,
    body: await store.listAgreements(query.reviewDueBefore, query.limit, query.cursor),
  }),
  options,
);
