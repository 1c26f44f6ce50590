import { httpHandler } from "@cdp/lambda-kit";
import { listEntries } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  listEntries,
  async (request) => {
    const { from, to, limit, cursor } = request.query;
    const page = await reads.entries(request.params.account, { from, to, limit, cursor });
    return {
      status: 200,
      body: { items: page.items.map(({ key: _key, ...entry }) => entry), nextCursor: page.nextCursor },
    };
  },
  options,
);
