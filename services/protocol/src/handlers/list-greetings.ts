import { httpHandler } from "@cdp/lambda-kit";
import { listGreetings } from "../api.ts";
import { options, records } from "./records-shared.ts";

export const handler = httpHandler(
  listGreetings,
  async ({ query: { limit, cursor, ...filter } }) => ({
    status: 200,
    body: await records.listGreetings(filter, limit, cursor),
  }),
  options,
);
