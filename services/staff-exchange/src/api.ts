import { ALL_ROLES, ExchangeProgrammeId, PartnerId, type Role, Text, YenAmount } from "@cdp/contracts";
import { defineRoute, orderedPeriod, PagingQuery, PeriodQuery, pageOf } from "@cdp/lambda-kit";
import * as z from "zod/mini";
import {
  CostBreakdown,
  Direction,
  PersonalData,
  Placement,
  PlacementInput,
  PlacementPatch,
  PlacementStatus,
  Programme,
  ProgrammeInput,
  QuotaView,
  WholeYen,
} from "./domain/model.ts";

export const SERVICE_NAME = "staff-exchange";
const WRITERS: readonly Role[] = ["exchange-coordinator", "admin"];
/** Passport numbers, birth dates, emergency contacts, medical notes: the coordinators only (APPI purpose limit). */
const PERSONAL_DATA_READERS: readonly Role[] = ["exchange-coordinator", "admin"];
const READERS = ALL_ROLES;

const PlacementParams = z.object({ id: z.uuid() });
const ProgrammeParams = z.object({ id: ExchangeProgrammeId });

const problem = (description: string) => ({ description });
/** The kit adds the standard 400, 401 and 403 to every route; these are the life-cycle routes' own. */
const STEP = {
  404: problem("Unknown placement"),
  409: problem("Not allowed in the placement's current state (named), or a rule broken (named): quota, dates, holds"),
  412: problem("Stale version (when If-Match is sent)"),
};

export const createProgramme = defineRoute({
  method: "POST",
  path: "/exchange-programmes",
  operationId: "createExchangeProgramme",
  summary: "Create the exchange programme with a partner (one per partner): quotas, terms and cost norms",
  handler: "src/handlers/create-programme.ts",
  roles: WRITERS,
  access: "write",
  request: { body: ProgrammeInput },
  responses: {
    201: { description: "Created", schema: Programme },
    409: problem("The partner has a programme already"),
  },
});

export const listProgrammes = defineRoute({
  method: "GET",
  path: "/exchange-programmes",
  operationId: "listExchangeProgrammes",
  summary: "Exchange programmes, by partner",
  handler: "src/handlers/list-programmes.ts",
  roles: READERS,
  access: "read",
  request: { query: z.object(PagingQuery) },
  responses: { 200: { description: "A page of programmes", schema: pageOf(Programme) } },
});

export const getProgramme = defineRoute({
  method: "GET",
  path: "/exchange-programmes/{id}",
  operationId: "getExchangeProgramme",
  summary: "Read an exchange programme",
  handler: "src/handlers/get-programme.ts",
  roles: READERS,
  access: "read",
  request: { params: ProgrammeParams },
  responses: { 200: { description: "The programme", schema: Programme }, 404: problem("Unknown programme") },
});

export const getQuota = defineRoute({
  method: "GET",
  path: "/exchange-programmes/{id}/quota",
  operationId: "getExchangeQuota",
  summary: "A fiscal year's quota each way: used and left, in placements and days",
  handler: "src/handlers/get-quota.ts",
  roles: READERS,
  access: "read",
  request: {
    params: ProgrammeParams,
    query: z.object({ fiscalYear: z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2099)) }),
  },
  responses: { 200: { description: "The quota", schema: QuotaView }, 404: problem("Unknown programme") },
});

export const proposePlacement = defineRoute({
  method: "POST",
  path: "/placements",
  operationId: "proposePlacement",
  summary: "Propose a placement (outbound: TMG staff to the partner; inbound: the partner's staff in a TMG bureau)",
  handler: "src/handlers/propose-placement.ts",
  roles: WRITERS,
  access: "write",
  request: { body: PlacementInput },
  responses: {
    201: { description: "Applied", schema: Placement },
    409: problem("The person holds an overlapping placement (rule person-overlap)"),
  },
});

export const listPlacements = defineRoute({
  method: "GET",
  path: "/placements",
  operationId: "listPlacements",
  summary:
    "Placements overlapping a period, by start date, by programme, partner, direction, status or overdue funding",
  handler: "src/handlers/list-placements.ts",
  roles: READERS,
  access: "read",
  request: {
    query: z
      .object({
        ...PeriodQuery,
        programmeId: z.optional(ExchangeProgrammeId),
        partnerId: z.optional(PartnerId),
        direction: z.optional(Direction),
        status: z.optional(PlacementStatus),
        /** `true`: approvals whose funding has been awaited longer than the set time. */
        fundingOverdue: z.optional(z.enum(["true"])),
        ...PagingQuery,
      })
      .check(orderedPeriod),
  },
  responses: { 200: { description: "A page of placements", schema: pageOf(Placement) } },
});

export const getPlacement = defineRoute({
  method: "GET",
  path: "/placements/{id}",
  operationId: "getPlacement",
  summary: "Read a placement (with its ETag); never the person's personal data",
  handler: "src/handlers/get-placement.ts",
  roles: READERS,
  access: "read",
  request: { params: PlacementParams },
  responses: { 200: { description: "The placement", schema: Placement }, 404: problem("Unknown placement") },
});

export const editPlacement = defineRoute({
  method: "PATCH",
  path: "/placements/{id}",
  operationId: "editPlacement",
  summary: "Change a placement while applied (If-Match: the version read)",
  handler: "src/handlers/edit-placement.ts",
  roles: WRITERS,
  access: "write",
  request: { params: PlacementParams, body: PlacementPatch },
  requiredHeaders: ["If-Match"],
  responses: {
    200: { description: "Changed", schema: Placement },
    ...STEP,
    412: problem("Stale version"),
    428: problem("If-Match missing"),
  },
});

export const getPlacementPerson = defineRoute({
  method: "GET",
  path: "/placements/{id}/person",
  operationId: "getPlacementPerson",
  summary: "The person's personal data (exchange coordinators and admin only)",
  handler: "src/handlers/get-placement-person.ts",
  roles: PERSONAL_DATA_READERS,
  access: "read",
  request: { params: PlacementParams },
  responses: {
    200: {
      description: "The person and their personal data",
      schema: z.object({ placementId: z.string(), personal: PersonalData }),
    },
    404: problem("Unknown placement"),
  },
});

const step = <Body extends z.ZodMiniType>(action: string, summary: string, body?: Body) =>
  defineRoute({
    method: "POST",
    path: `/placements/{id}/${action}`,
    operationId: `${action.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Placement`,
    summary,
    handler: `src/handlers/${action}-placement.ts`,
    roles: WRITERS,
    access: "write",
    request: { params: PlacementParams, ...(body && { body }) },
    responses: { 200: { description: "Done", schema: Placement }, ...STEP },
  });

export const approvePlacement = step(
  "approve",
  "Approve an applied placement: takes a quota slot and asks the fund to hold the estimate",
);
export const requestFunding = step(
  "fund",
  "Ask the fund again after a refusal, with a lowered estimate if need be",
  z.strictObject({ estimate: z.optional(CostBreakdown) }),
);
export const topUpPlacement = step(
  "top-up",
  "Ask the fund for more, before completing with actual costs above what is held",
  z.strictObject({ amountYen: YenAmount }),
);
export const startPlacement = step("start", "Start a funded placement, on or after its start date");
export const completePlacement = step(
  "complete",
  "Complete an active placement with its actual costs: posted against the holds, the rest released",
  z.strictObject({ actual: CostBreakdown }),
);
export const cancelPlacement = step(
  "cancel",
  "Cancel a placement not completed: before the start its holds are voided; after, what was incurred is posted",
  z.strictObject({ reason: Text(1000), incurredYen: z.optional(WholeYen) }),
);

export const routes = [
  createProgramme,
  listProgrammes,
  getProgramme,
  getQuota,
  proposePlacement,
  listPlacements,
  getPlacement,
  editPlacement,
  getPlacementPerson,
  approvePlacement,
  requestFunding,
  topUpPlacement,
  startPlacement,
  completePlacement,
  cancelPlacement,
];
