import { httpHandler } from "@cdp/lambda-kit";
import { listGifts } from "../api.ts";
import { options, records } from "./records-shared.ts";

/** The register's public view: a private giver is `個人 / Private individual`. */
export const handler = httpHandler(
  listGifts,
  async ({ query: { limit, cursor, ...filter } }) => ({
    status: 200,
    body: await records.listGifts(filter, limit, cursor),
  }),
  options,
);
