import type { Role } from "@cdp/contracts";
import { defineRoute } from "@cdp/lambda-kit";
import * as z from "zod/mini";
import { Notice, NoticeQuery } from "./domain/model.ts";

export const SERVICE_NAME = "notifications";
/** The notice log holds partner officials' addresses: the staff who deal with partners, and audit. */
const NOTICE_READERS: readonly Role[] = ["international-affairs", "protocol", "auditor", "admin"];

export const listNotices = defineRoute({
  method: "GET",
  path: "/notices",
  operationId: "listNotices",
  summary: "The notice log, newest first: recipient, partner, causing event, SES message id, status, attempts",
  handler: "src/handlers/list-notices.ts",
  roles: NOTICE_READERS,
  access: "read",
  request: { query: NoticeQuery },
  responses: {
    200: {
      description: "A page of notices",
      schema: z.object({ items: z.array(Notice), nextCursor: z.nullable(z.string()) }),
    },
    400: { description: "Invalid input: every offending field is named" },
    401: { description: "No valid bearer token" },
    403: { description: "The caller's roles may not read the notice log" },
  },
});

export const routes = [listNotices];
