import { ALL_ROLES, PartnerId, type Role, Text } from "@cdp/contracts";
import { defineRoute, orderedPeriod, PagingQuery, PeriodQuery, pageOf } from "@cdp/lambda-kit";
import * as z from "zod/mini";
import {
  Conference,
  ConferenceInput,
  Direction,
  FiscalYear,
  MemberWithPersonalData,
  PlanSettingsInput,
  Visit,
  VisitInput,
  VisitPatch,
  VisitStatus,
  Yen,
} from "./domain/model.ts";
import { AnnualPlanSchema } from "./domain/plan.ts";

export const SERVICE_NAME = "visit-scheduling";
const WRITERS: readonly Role[] = ["protocol", "admin"];
/** Delegates' passport numbers and medical or dietary notes: protocol staff only (APPI purpose limit). */
const PERSONAL_DATA_READERS: readonly Role[] = ["protocol", "admin"];
const READERS = ALL_ROLES;

const VisitParams = z.object({ id: z.uuid() });

const problem = (description: string) => ({ description });
/** The kit adds the standard 400, 401 and 403 to every route; these are the life-cycle routes' own. */
const TRANSITION = {
  404: problem("Unknown visit"),
  409: problem(
    "Not allowed in the visit's current state (named), a rule broken, or a clash of the governor's engagements",
  ),
  412: problem("Stale version (when If-Match is sent)"),
};

export const proposeVisit = defineRoute({
  method: "POST",
  path: "/visits",
  operationId: "proposeVisit",
  summary: "Propose a visit (outbound: a Tokyo delegation abroad; inbound: a partner's delegation to Tokyo)",
  handler: "src/handlers/propose-visit.ts",
  roles: WRITERS,
  access: "write",
  request: { body: VisitInput },
  responses: { 201: { description: "Proposed", schema: Visit } },
});

export const listVisits = defineRoute({
  method: "GET",
  path: "/visits",
  operationId: "listVisits",
  summary: "Visits overlapping a period, by start date, filtered by partner, status or direction",
  handler: "src/handlers/list-visits.ts",
  roles: READERS,
  access: "read",
  request: {
    query: z
      .object({
        ...PeriodQuery,
        partnerId: z.optional(PartnerId),
        status: z.optional(VisitStatus),
        direction: z.optional(Direction),
        ...PagingQuery,
      })
      .check(orderedPeriod),
  },
  responses: { 200: { description: "A page of visits", schema: pageOf(Visit) } },
});

export const getVisit = defineRoute({
  method: "GET",
  path: "/visits/{id}",
  operationId: "getVisit",
  summary: "Read a visit (with its ETag); never the delegates' personal data",
  handler: "src/handlers/get-visit.ts",
  roles: READERS,
  access: "read",
  request: { params: VisitParams },
  responses: { 200: { description: "The visit", schema: Visit }, 404: problem("Unknown visit") },
});

export const editVisit = defineRoute({
  method: "PATCH",
  path: "/visits/{id}",
  operationId: "editVisit",
  summary: "Change a visit (If-Match: the version read); dates, partners and head only while proposed",
  handler: "src/handlers/edit-visit.ts",
  roles: WRITERS,
  access: "write",
  request: { params: VisitParams, body: VisitPatch },
  requiredHeaders: ["If-Match"],
  responses: {
    200: { description: "Changed", schema: Visit },
    ...TRANSITION,
    412: problem("Stale version"),
    428: problem("If-Match missing"),
  },
});

const transition = (action: "approve" | "confirm", summary: string) =>
  defineRoute({
    method: "POST",
    path: `/visits/{id}/${action}`,
    operationId: `${action}Visit`,
    summary,
    handler: `src/handlers/${action}-visit.ts`,
    roles: WRITERS,
    access: "write",
    request: { params: VisitParams },
    responses: { 200: { description: "Done", schema: Visit }, ...TRANSITION },
  });

export const approveVisit = transition(
  "approve",
  "Approve a proposed visit (outbound: two vendor quotes; the governor's calendar must be free)",
);
export const confirmVisit = transition("confirm", "Confirm an approved visit: partners are notified");

export const completeVisit = defineRoute({
  method: "POST",
  path: "/visits/{id}/complete",
  operationId: "completeVisit",
  summary: "Complete a confirmed visit with its actual cost",
  handler: "src/handlers/complete-visit.ts",
  roles: WRITERS,
  access: "write",
  request: { params: VisitParams, body: z.strictObject({ actualCostYen: Yen }) },
  responses: { 200: { description: "Completed", schema: Visit }, ...TRANSITION },
});

export const cancelVisit = defineRoute({
  method: "POST",
  path: "/visits/{id}/cancel",
  operationId: "cancelVisit",
  summary: "Cancel a visit not yet completed, with a reason: partners are notified if it was confirmed",
  handler: "src/handlers/cancel-visit.ts",
  roles: WRITERS,
  access: "write",
  request: { params: VisitParams, body: z.strictObject({ reason: Text(1000) }) },
  responses: { 200: { description: "Cancelled", schema: Visit }, ...TRANSITION },
});

export const getVisitMembers = defineRoute({
  method: "GET",
  path: "/visits/{id}/members",
  operationId: "getVisitMembers",
  summary: "The delegation with its members' personal data (protocol and admin only)",
  handler: "src/handlers/get-visit-members.ts",
  roles: PERSONAL_DATA_READERS,
  access: "read",
  request: { params: VisitParams },
  responses: {
    200: { description: "Members", schema: z.object({ items: z.array(MemberWithPersonalData) }) },
    404: problem("Unknown visit"),
  },
});

export const createConference = defineRoute({
  method: "POST",
  path: "/conferences",
  operationId: "createConference",
  summary: "Record an international conference Tokyo takes part in, hosts or bids for",
  handler: "src/handlers/create-conference.ts",
  roles: WRITERS,
  access: "write",
  request: { body: ConferenceInput },
  responses: {
    201: { description: "Recorded", schema: Conference },
    404: problem("A linked visit is unknown"),
  },
});

export const listConferences = defineRoute({
  method: "GET",
  path: "/conferences",
  operationId: "listConferences",
  summary: "Conferences overlapping a period, by start date",
  handler: "src/handlers/list-conferences.ts",
  roles: READERS,
  access: "read",
  request: { query: z.object({ ...PeriodQuery, ...PagingQuery }).check(orderedPeriod) },
  responses: { 200: { description: "A page of conferences", schema: pageOf(Conference) } },
});

const PlanParams = z.object({ fiscalYear: FiscalYear });

export const getPlan = defineRoute({
  method: "GET",
  path: "/plans/{fiscalYear}",
  operationId: "getPlan",
  summary: "The governor's overseas trips of a fiscal year ranked by priority against the trip cap and budget",
  handler: "src/handlers/get-plan.ts",
  roles: READERS,
  access: "read",
  request: { params: PlanParams },
  responses: { 200: { description: "The plan", schema: AnnualPlanSchema } },
});

export const setPlan = defineRoute({
  method: "PUT",
  path: "/plans/{fiscalYear}",
  operationId: "setPlan",
  summary: "Set a fiscal year's cap on the governor's overseas trips and its travel budget",
  handler: "src/handlers/set-plan.ts",
  roles: WRITERS,
  access: "write",
  request: { params: PlanParams, body: PlanSettingsInput },
  responses: { 200: { description: "The plan under the new settings", schema: AnnualPlanSchema } },
});

export const visitsCalendar = defineRoute({
  method: "GET",
  path: "/visits.ics",
  operationId: "getVisitsCalendar",
  summary: "Visits as an iCalendar (RFC 5545) feed for calendar programs",
  handler: "src/handlers/visits-calendar.ts",
  roles: READERS,
  access: "read",
  request: { query: z.object(PeriodQuery).check(orderedPeriod) },
  responses: { 200: { description: "An iCalendar feed", contentType: "text/calendar" } },
});

export const routes = [
  proposeVisit,
  listVisits,
  getVisit,
  editVisit,
  approveVisit,
  confirmVisit,
  completeVisit,
  cancelVisit,
  getVisitMembers,
  createConference,
  listConferences,
  getPlan,
  setPlan,
  visitsCalendar,
];
