import { httpHandler } from "@cdp/lambda-kit";
import { listCalls } from "../api.ts";
import { courtesyCalls, options } from "./calls-shared.ts";

/** Calls starting in the period; without one, this month and the next two in Tokyo. */
export const handler = httpHandler(
  listCalls,
  async ({ query: { limit, cursor, ...query } }) => ({
    status: 200,
    body: await courtesyCalls.list(query, limit, cursor, new Date()),
  }),
  options,
);
