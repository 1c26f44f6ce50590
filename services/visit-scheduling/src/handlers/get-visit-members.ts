import { httpHandler } from "@cdp/lambda-kit";
import { getVisitMembers } from "../api.ts";
import { options, store } from "./shared.ts";

/** The only way to personal data: the route admits protocol and admin alone, and it is never logged. */
export const handler = httpHandler(
  getVisitMembers,
  async ({ params }) => ({ status: 200, body: { items: await store.members(params.id) } }),
  options,
);
