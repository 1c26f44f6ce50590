import { httpHandler } from "@cdp/lambda-kit";
import { getStatement } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  getStatement,
  async (request) => ({ status: 200, body: await reads.statement(request.params.fiscalYear) }),
  options,
);
