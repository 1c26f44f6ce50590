import { PartnerId, type Role } from "@cdp/contracts";
import { defineRoute, orderedPeriod, PagingQuery, PeriodQuery, pageOf } from "@cdp/lambda-kit";
import * as z from "zod/mini";
import { Notice } from "./domain/model.ts";

export const SERVICE_NAME = "notifications";
/** The notice log holds partner officials' addresses: the staff who deal with partners, and audit. */
const NOTICE_READERS: readonly Role[] = ["international-affairs", "protocol", "auditor", "admin"];

export const NoticeQuery = z
  .object({
    partnerId: z.optional(PartnerId),
    ...PeriodQuery,
    ...PagingQuery,
  })
  .check(orderedPeriod);

export const listNotices = defineRoute({
  method: "GET",
  path: "/notices",
  operationId: "listNotices",
  summary: "The notice log, newest first: recipient, partner, causing event, SES message id, status, attempts",
  handler: "src/handlers/list-notices.ts",
  roles: NOTICE_READERS,
  access: "read",
  request: { query: NoticeQuery },
  responses: { 200: { description: "A page of notices", schema: pageOf(Notice) } },
});

export const routes = [listNotices];
