import { httpHandler } from "@cdp/lambda-kit";
import { listDeclarations } from "../api.ts";
import { options, records } from "./records-shared.ts";

export const handler = httpHandler(
  listDeclarations,
  async ({ query: { status, overdue, limit, cursor } }) => ({
    status: 200,
    body: await records.listDeclarations({ status, overdue: overdue === "true" }, limit, cursor),
  }),
  options,
);
