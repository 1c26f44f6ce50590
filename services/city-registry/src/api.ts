import { ALL_ROLES, IsoDate, PartnerId, type Role } from "@cdp/contracts";
import { defineRoute } from "@cdp/lambda-kit";
import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import {
  Agreement,
  AgreementInput,
  CategoryType,
  CooperationArea,
  Partner,
  PartnerInput,
  PartnerPatch,
  Project,
  ProjectInput,
  RelationStatus,
} from "./domain/model.ts";
import { TargetsProgressSchema } from "./domain/schemas.ts";

export const SERVICE_NAME = "city-registry";
const WRITERS: readonly Role[] = ["international-affairs", "admin"];
const READERS = ALL_ROLES;

const PartnerParams = z.object({ id: PartnerId });
const Limit = z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20);
const Cursor = z.optional(z.string().check(z.minLength(1), z.maxLength(2048)));
const page = <T extends core.$ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });

const problem = (description: string) => ({ description });
const WRITE_PROBLEMS = {
  400: problem("Invalid input: every offending field is named"),
  401: problem("No valid bearer token"),
  403: problem("The caller's roles may not do this"),
};
const READ_PROBLEMS = { 400: WRITE_PROBLEMS[400], 401: WRITE_PROBLEMS[401], 403: WRITE_PROBLEMS[403] };

export const createPartner = defineRoute({
  method: "POST",
  path: "/partners",
  operationId: "createPartner",
  summary: "Register a partner (city, state or region)",
  handler: "src/handlers/create-partner.ts",
  roles: WRITERS,
  access: "write",
  request: { body: PartnerInput },
  responses: { 201: { description: "Registered", schema: Partner }, ...WRITE_PROBLEMS, 409: problem("The id exists") },
});

export const listPartners = defineRoute({
  method: "GET",
  path: "/partners",
  operationId: "listPartners",
  summary: "List partners, filtered, by id or by priority",
  handler: "src/handlers/list-partners.ts",
  roles: READERS,
  access: "read",
  request: {
    query: z.object({
      category: z.optional(CategoryType),
      status: z.optional(RelationStatus),
      country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code"))),
      area: z.optional(CooperationArea),
      sort: z._default(z.enum(["id", "priority"]), "id"),
      limit: Limit,
      cursor: Cursor,
    }),
  },
  responses: { 200: { description: "A page of partners", schema: page(Partner) }, ...READ_PROBLEMS },
});

export const getPartner = defineRoute({
  method: "GET",
  path: "/partners/{id}",
  operationId: "getPartner",
  summary: "Read a partner (with its ETag)",
  handler: "src/handlers/get-partner.ts",
  roles: READERS,
  access: "read",
  request: { params: PartnerParams },
  responses: {
    200: { description: "The partner", schema: Partner },
    ...READ_PROBLEMS,
    404: problem("Unknown partner"),
  },
});

export const updatePartner = defineRoute({
  method: "PATCH",
  path: "/partners/{id}",
  operationId: "updatePartner",
  summary: "Change a partner (If-Match: the version read)",
  handler: "src/handlers/update-partner.ts",
  roles: WRITERS,
  access: "write",
  request: { params: PartnerParams, body: PartnerPatch },
  requiredHeaders: ["If-Match"],
  responses: {
    200: { description: "Changed", schema: Partner },
    ...WRITE_PROBLEMS,
    404: problem("Unknown partner"),
    412: problem("Stale version"),
    428: problem("If-Match missing"),
  },
});

export const concludeAgreement = defineRoute({
  method: "POST",
  path: "/partners/{id}/agreements",
  operationId: "concludeAgreement",
  summary: "Record an agreement concluded with a partner",
  handler: "src/handlers/conclude-agreement.ts",
  roles: WRITERS,
  access: "write",
  request: { params: PartnerParams, body: AgreementInput },
  responses: {
    201: { description: "Recorded", schema: Agreement },
    ...WRITE_PROBLEMS,
    404: problem("Unknown partner"),
    409: problem("The superseded agreement is not this partner's"),
  },
});

export const listPartnerAgreements = defineRoute({
  method: "GET",
  path: "/partners/{id}/agreements",
  operationId: "listPartnerAgreements",
  summary: "A partner's agreements, oldest first",
  handler: "src/handlers/list-partner-agreements.ts",
  roles: READERS,
  access: "read",
  request: { params: PartnerParams, query: z.object({ limit: Limit, cursor: Cursor }) },
  responses: {
    200: { description: "A page of agreements", schema: page(Agreement) },
    ...READ_PROBLEMS,
    404: problem("Unknown partner"),
  },
});

export const listAgreements = defineRoute({
  method: "GET",
  path: "/agreements",
  operationId: "listAgreements",
  summary: "All agreements by signing date, or those whose review falls before a day",
  handler: "src/handlers/list-agreements.ts",
  roles: READERS,
  access: "read",
  request: { query: z.object({ reviewDueBefore: z.optional(IsoDate), limit: Limit, cursor: Cursor }) },
  responses: { 200: { description: "A page of agreements", schema: page(Agreement) }, ...READ_PROBLEMS },
});

export const createProject = defineRoute({
  method: "POST",
  path: "/projects",
  operationId: "createProject",
  summary: "Record a multilateral cooperation project",
  handler: "src/handlers/create-project.ts",
  roles: WRITERS,
  access: "write",
  request: { body: ProjectInput },
  responses: {
    201: { description: "Recorded", schema: Project },
    ...WRITE_PROBLEMS,
    404: problem("A named partner is unknown"),
  },
});

export const listProjects = defineRoute({
  method: "GET",
  path: "/projects",
  operationId: "listProjects",
  summary: "Multilateral projects, all or of one partner",
  handler: "src/handlers/list-projects.ts",
  roles: READERS,
  access: "read",
  request: { query: z.object({ partnerId: z.optional(PartnerId), limit: Limit, cursor: Cursor }) },
  responses: { 200: { description: "A page of projects", schema: page(Project) }, ...READ_PROBLEMS },
});

export const targetsProgress = defineRoute({
  method: "GET",
  path: "/targets/progress",
  operationId: "getTargetsProgress",
  summary: "Concrete relations on a day, against the strategy's 15/30 milestones",
  handler: "src/handlers/targets-progress.ts",
  roles: READERS,
  access: "read",
  request: { query: z.object({ asOf: z.optional(IsoDate) }) },
  responses: { 200: { description: "Progress", schema: TargetsProgressSchema }, ...READ_PROBLEMS },
});

export const routes = [
  createPartner,
  listPartners,
  getPartner,
  updatePartner,
  concludeAgreement,
  listPartnerAgreements,
  listAgreements,
  createProject,
  listProjects,
  targetsProgress,
];
