import { ALL_ROLES, IsoDate, PartnerId, type Role } from "@cdp/contracts";
import { defineRoute, PagingQuery, pageOf } from "@cdp/lambda-kit";
import * as z from "zod/mini";
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

const problem = (description: string) => ({ description });

export const createPartner = defineRoute({
  method: "POST",
  path: "/partners",
  operationId: "createPartner",
  summary: "Register a partner (city, state or region)",
  handler: "src/handlers/create-partner.ts",
  roles: WRITERS,
  access: "write",
  request: { body: PartnerInput },
  responses: { 201: { description: "Registered", schema: Partner }, 409: problem("The id exists") },
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
      ...PagingQuery,
    }),
  },
  responses: { 200: { description: "A page of partners", schema: pageOf(Partner) } },
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
  request: { params: PartnerParams, query: z.object({ ...PagingQuery }) },
  responses: {
    200: { description: "A page of agreements", schema: pageOf(Agreement) },
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
  request: { query: z.object({ reviewDueBefore: z.optional(IsoDate), ...PagingQuery }) },
  responses: { 200: { description: "A page of agreements", schema: pageOf(Agreement) } },
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
  request: { query: z.object({ partnerId: z.optional(PartnerId), ...PagingQuery }) },
  responses: { 200: { description: "A page of projects", schema: pageOf(Project) } },
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
  responses: { 200: { description: "Progress", schema: TargetsProgressSchema } },
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
