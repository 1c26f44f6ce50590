import { ALL_ROLES, BilingualText, IsoDate, MissionId, PartnerContact, type Role } from "@cdp/contracts";
import { defineRoute, orderedPeriod, PagingQuery, PeriodQuery, pageOf } from "@cdp/lambda-kit";
import * as z from "zod/mini";
import { Call, CallInput, CallStatus, CancelInput, CompleteInput, RescheduleInput, Visitor } from "./domain/calls.ts";
import {
  Declaration,
  DeclarationInput,
  Disposition,
  Gift,
  GiftDirection,
  GiftInput,
  GiftPatch,
} from "./domain/gifts.ts";
import { Hospitality, HospitalityCancellation, HospitalityInput, HospitalityPatch } from "./domain/hospitality.ts";
import { YearMonth } from "./domain/hospitality-list.ts";
import { Mission, MissionInput, MissionKind, MissionPatch } from "./domain/missions.ts";
import { Greeting, GreetingEdit, GreetingStatus } from "./domain/national-days.ts";

export const SERVICE_NAME = "protocol";

/** The protocol office writes; every role reads the public parts. */
const WRITERS: readonly Role[] = ["protocol", "admin"];
const READERS = ALL_ROLES;
/** Visitors' and private givers' personal data, and the missions' officials: the protocol office only (APPI). */
const PERSONAL_DATA_READERS: readonly Role[] = ["protocol", "admin"];
/** Whole hospitality records (guests, venue, cost lines): the office, and the auditors who check the spending. */
const HOSPITALITY_READERS: readonly Role[] = ["protocol", "admin", "auditor"];

const problem = (description: string) => ({ description });
const IdParams = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9-]+$/)) });
const MissionParams = z.object({ id: MissionId });

/** What every reader sees of a mission: its officials' names and addresses are the office's. */
export const PublicMission = z.omit(Mission, { contacts: true });
/** What every reader sees of a call: the visitors are personal data. */
export const PublicCall = z.omit(Call, { visitors: true });
/** The register as anyone may read it (`publicGiftView`): a private giver is `個人 / Private individual`. */
export const PublicGift = z.object({
  id: z.string(),
  direction: GiftDirection,
  counterpart: z.union([
    z.object({ kind: z.literal("mission"), missionId: MissionId }),
    z.object({ kind: z.literal("partner"), partnerId: z.string() }),
    z.object({ kind: z.literal("person") }),
  ]),
  counterpartLabel: BilingualText,
  occasion: BilingualText,
  date: IsoDate,
  description: BilingualText,
  estimatedValueYen: z.int(),
  photoKey: z.nullable(z.string()),
  disposition: z.nullable(Disposition),
  dispositionChangedOn: z.nullable(IsoDate),
  registeredOn: IsoDate,
  registeredLate: z.boolean(),
});
/** The governor's hospitality of a month as Tokyo publishes it (`toPublicJson`). */
export const HospitalitySpending = z.object({
  month: z.string(),
  rows: z.array(z.object({ date: IsoDate, occasion: BilingualText, counterpart: BilingualText, amountYen: z.int() })),
  totalYen: z.int(),
  count: z.int(),
});

const STALE = { 412: problem("Stale version (when If-Match is sent)") };

// Missions in Tokyo ---------------------------------------------------------------------------------------------

export const registerMission = defineRoute({
  method: "POST",
  path: "/missions",
  operationId: "registerMission",
  summary: "Register an embassy, consulate or representative office in Tokyo",
  handler: "src/handlers/register-mission.ts",
  roles: WRITERS,
  access: "write",
  request: { body: MissionInput },
  responses: { 201: { description: "Registered", schema: Mission }, 409: problem("The mission is registered already") },
});

export const listMissions = defineRoute({
  method: "GET",
  path: "/missions",
  operationId: "listMissions",
  summary: "Missions in Tokyo, by country, kind or the partner they relate to",
  handler: "src/handlers/list-missions.ts",
  roles: READERS,
  access: "read",
  request: {
    query: z.object({
      country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code"))),
      kind: z.optional(MissionKind),
      partnerId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
      ...PagingQuery,
    }),
  },
  responses: { 200: { description: "A page of missions", schema: pageOf(PublicMission) } },
});

export const getMission = defineRoute({
  method: "GET",
  path: "/missions/{id}",
  operationId: "getMission",
  summary: "A mission: country, kind, name, address, head of mission, partners, national day",
  handler: "src/handlers/get-mission.ts",
  roles: READERS,
  access: "read",
  request: { params: MissionParams },
  responses: { 200: { description: "The mission", schema: PublicMission }, 404: problem("Unknown mission") },
});

export const updateMission = defineRoute({
  method: "PATCH",
  path: "/missions/{id}",
  operationId: "updateMission",
  summary: "Change what is known of a mission (a new head of mission, its contacts, its national day)",
  handler: "src/handlers/update-mission.ts",
  roles: WRITERS,
  access: "write",
  request: { params: MissionParams, body: MissionPatch },
  responses: { 200: { description: "Updated", schema: Mission }, 404: problem("Unknown mission"), ...STALE },
});

export const getMissionContacts = defineRoute({
  method: "GET",
  path: "/missions/{id}/contacts",
  operationId: "getMissionContacts",
  summary: "A mission's officials and their addresses (protocol office only)",
  handler: "src/handlers/get-mission-contacts.ts",
  roles: PERSONAL_DATA_READERS,
  access: "read",
  request: { params: MissionParams },
  responses: {
    200: {
      description: "The mission's contacts",
      schema: z.object({ missionId: MissionId, contacts: z.array(PartnerContact) }),
    },
    404: problem("Unknown mission"),
  },
});

// Courtesy calls -------------------------------------------------------------------------------------------------

const CALL_STEP = {
  404: problem("Unknown call"),
  409: problem(
    "Not allowed in the call's current state (named); the governor's time is held (rule governor-calendar); or a call completed before its start (rule not-before-start)",
  ),
  ...STALE,
};

export const scheduleCall = defineRoute({
  method: "POST",
  path: "/calls",
  operationId: "scheduleCourtesyCall",
  summary: "Schedule a courtesy call on the governor or a vice-governor",
  handler: "src/handlers/schedule-call.ts",
  roles: WRITERS,
  access: "write",
  request: { body: CallInput },
  responses: {
    201: { description: "Scheduled", schema: Call },
    400: problem("Invalid fields, each named; an unknown mission is `body.missionId`"),
    409: problem("The governor's time is held by another call or a trip abroad (rule governor-calendar, named)"),
  },
});

export const listCalls = defineRoute({
  method: "GET",
  path: "/calls",
  operationId: "listCourtesyCalls",
  summary:
    "Courtesy calls in a period (Tokyo dates; by default this month and the next two; at most 36 months), by host, status, mission or partner",
  handler: "src/handlers/list-calls.ts",
  roles: READERS,
  access: "read",
  request: {
    query: z
      .object({
        ...PeriodQuery,
        host: z.optional(z.enum(["governor", "vice-governor"])),
        status: z.optional(CallStatus),
        missionId: z.optional(MissionId),
        partnerId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
        ...PagingQuery,
      })
      .check(orderedPeriod),
  },
  responses: { 200: { description: "A page of calls", schema: pageOf(PublicCall) } },
});

export const getCall = defineRoute({
  method: "GET",
  path: "/calls/{id}",
  operationId: "getCourtesyCall",
  summary: "A courtesy call, without its visitors",
  handler: "src/handlers/get-call.ts",
  roles: READERS,
  access: "read",
  request: { params: IdParams },
  responses: { 200: { description: "The call", schema: PublicCall }, 404: problem("Unknown call") },
});

export const getCallVisitors = defineRoute({
  method: "GET",
  path: "/calls/{id}/visitors",
  operationId: "getCourtesyCallVisitors",
  summary: "Who called (protocol office only)",
  handler: "src/handlers/get-call-visitors.ts",
  roles: PERSONAL_DATA_READERS,
  access: "read",
  request: { params: IdParams },
  responses: {
    200: { description: "The visitors", schema: z.object({ callId: z.string(), visitors: z.array(Visitor) }) },
    404: problem("Unknown call"),
  },
});

const callStep = <Body extends z.ZodMiniType>(action: string, summary: string, body: Body) =>
  defineRoute({
    method: "POST",
    path: `/calls/{id}/${action}`,
    operationId: `${action}CourtesyCall`,
    summary,
    handler: `src/handlers/${action}-call.ts`,
    roles: WRITERS,
    access: "write",
    request: { params: IdParams, body },
    responses: { 200: { description: "Done (the call without its visitors)", schema: PublicCall }, ...CALL_STEP },
  });

export const rescheduleCall = callStep(
  "reschedule",
  "Move a scheduled call; the governor's time is checked again",
  RescheduleInput,
);
export const completeCall = callStep(
  "complete",
  "Record that a call took place (not before its start); the registry counts it as an exchange with its partners",
  CompleteInput,
);
export const cancelCall = callStep(
  "cancel",
  "Cancel a scheduled call, with the reason; its time is freed",
  CancelInput,
);

// Hospitality ------------------------------------------------------------------------------------------------------

export const recordHospitality = defineRoute({
  method: "POST",
  path: "/hospitality",
  operationId: "recordHospitality",
  summary: "Record a reception, luncheon or dinner for dignitaries, with its cost and breakdown",
  handler: "src/handlers/record-hospitality.ts",
  roles: WRITERS,
  access: "write",
  request: { body: HospitalityInput },
  responses: { 201: { description: "Recorded", schema: Hospitality } },
});

export const listHospitality = defineRoute({
  method: "GET",
  path: "/hospitality",
  operationId: "listHospitality",
  summary: "Hospitality records of a period, whole (the office and the auditors)",
  handler: "src/handlers/list-hospitality.ts",
  roles: HOSPITALITY_READERS,
  access: "read",
  request: { query: z.object({ ...PeriodQuery, ...PagingQuery }).check(orderedPeriod) },
  responses: { 200: { description: "A page of records", schema: pageOf(Hospitality) } },
});

export const getHospitality = defineRoute({
  method: "GET",
  path: "/hospitality/{id}",
  operationId: "getHospitality",
  summary: "A hospitality record, whole",
  handler: "src/handlers/get-hospitality.ts",
  roles: HOSPITALITY_READERS,
  access: "read",
  request: { params: IdParams },
  responses: { 200: { description: "The record", schema: Hospitality }, 404: problem("Unknown record") },
});

export const updateHospitality = defineRoute({
  method: "PATCH",
  path: "/hospitality/{id}",
  operationId: "updateHospitality",
  summary: "Correct a hospitality record (a changed cost sends the total and its lines together)",
  handler: "src/handlers/update-hospitality.ts",
  roles: WRITERS,
  access: "write",
  request: { params: IdParams, body: HospitalityPatch },
  responses: {
    200: { description: "Updated", schema: Hospitality },
    404: problem("Unknown record"),
    409: problem("The record is cancelled"),
    ...STALE,
  },
});

export const cancelHospitality = defineRoute({
  method: "POST",
  path: "/hospitality/{id}/cancel",
  operationId: "cancelHospitality",
  summary: "Cancel a hospitality record, with the reason: it leaves the public list",
  handler: "src/handlers/cancel-hospitality.ts",
  roles: WRITERS,
  access: "write",
  request: { params: IdParams, body: HospitalityCancellation },
  responses: {
    200: { description: "Cancelled", schema: Hospitality },
    404: problem("Unknown record"),
    409: problem("The record is cancelled already"),
    ...STALE,
  },
});

export const getHospitalitySpending = defineRoute({
  method: "GET",
  path: "/hospitality-spending/{month}",
  operationId: "getHospitalitySpending",
  summary: "The governor's hospitality spending of a month, as published: JSON, or CSV with `format=csv`",
  handler: "src/handlers/get-hospitality-spending.ts",
  roles: READERS,
  access: "read",
  request: {
    params: z.object({ month: YearMonth }),
    query: z.object({ format: z._default(z.enum(["json", "csv"]), "json") }),
  },
  responses: {
    200: {
      description:
        "The month's list: JSON, or with `format=csv` the same list as `text/csv` (UTF-8 with a BOM, for Excel)",
      schema: HospitalitySpending,
    },
  },
});

// The gift register --------------------------------------------------------------------------------------------------

export const declareGift = defineRoute({
  method: "POST",
  path: "/gift-declarations",
  operationId: "declareGiftReceipt",
  summary: "Declare a gift received, before its full registration (the 30 days run from its receipt)",
  handler: "src/handlers/declare-gift.ts",
  roles: WRITERS,
  access: "write",
  request: { body: DeclarationInput },
  responses: { 201: { description: "Declared", schema: Declaration } },
});

export const listDeclarations = defineRoute({
  method: "GET",
  path: "/gift-declarations",
  operationId: "listGiftDeclarations",
  summary: "Declared receipts not yet registered; `overdue=true`: those over the threshold past their 30 days",
  handler: "src/handlers/list-declarations.ts",
  roles: WRITERS,
  access: "read",
  request: {
    query: z.object({
      status: z._default(z.enum(["pending", "registered"]), "pending"),
      overdue: z.optional(z.enum(["true"])),
      ...PagingQuery,
    }),
  },
  responses: { 200: { description: "A page of declarations", schema: pageOf(Declaration) } },
});

export const registerGift = defineRoute({
  method: "POST",
  path: "/gifts",
  operationId: "registerGift",
  summary: "Register a gift given or received (a received one over the threshold late after 30 days is marked so)",
  handler: "src/handlers/register-gift.ts",
  roles: WRITERS,
  access: "write",
  request: { body: GiftInput },
  responses: {
    201: { description: "Registered", schema: Gift },
    404: problem("Unknown declaration"),
    409: problem("The declaration is registered already"),
  },
});

export const listGifts = defineRoute({
  method: "GET",
  path: "/gifts",
  operationId: "listGifts",
  summary: "The gift register, public view: gifts of a period (by date), by direction",
  handler: "src/handlers/list-gifts.ts",
  roles: READERS,
  access: "read",
  request: {
    query: z.object({ ...PeriodQuery, direction: z.optional(GiftDirection), ...PagingQuery }).check(orderedPeriod),
  },
  responses: { 200: { description: "A page of the register", schema: pageOf(PublicGift) } },
});

export const getGift = defineRoute({
  method: "GET",
  path: "/gifts/{id}",
  operationId: "getGift",
  summary: "A gift, public view",
  handler: "src/handlers/get-gift.ts",
  roles: READERS,
  access: "read",
  request: { params: IdParams },
  responses: { 200: { description: "The gift", schema: PublicGift }, 404: problem("Unknown gift") },
});

export const getGiftRecord = defineRoute({
  method: "GET",
  path: "/gifts/{id}/record",
  operationId: "getGiftRecord",
  summary: "A gift as registered, a private giver's name included (protocol office only)",
  handler: "src/handlers/get-gift-record.ts",
  roles: PERSONAL_DATA_READERS,
  access: "read",
  request: { params: IdParams },
  responses: { 200: { description: "The gift", schema: Gift }, 404: problem("Unknown gift") },
});

export const editGift = defineRoute({
  method: "PATCH",
  path: "/gifts/{id}",
  operationId: "editGift",
  summary: "Correct a gift's description, occasion, label, photo or custodian",
  handler: "src/handlers/edit-gift.ts",
  roles: WRITERS,
  access: "write",
  request: { params: IdParams, body: GiftPatch },
  responses: { 200: { description: "Updated", schema: Gift }, 404: problem("Unknown gift"), ...STALE },
});

export const changeGiftDisposition = defineRoute({
  method: "POST",
  path: "/gifts/{id}/disposition",
  operationId: "changeGiftDisposition",
  summary: "Put a received gift on display, in store, or transfer it to the museum (final)",
  handler: "src/handlers/change-gift-disposition.ts",
  roles: WRITERS,
  access: "write",
  request: { params: IdParams, body: z.strictObject({ disposition: Disposition }) },
  responses: {
    200: { description: "Changed", schema: Gift },
    404: problem("Unknown gift"),
    409: problem("Transferred to the museum already, or the disposition it has"),
    ...STALE,
  },
});

// National days ------------------------------------------------------------------------------------------------------

const GreetingParams = z.object({
  id: z.string().check(z.maxLength(80), z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}$/, "must be <missionId>-<year>")),
});

export const listGreetings = defineRoute({
  method: "GET",
  path: "/greetings",
  operationId: "listGreetings",
  summary: "National-day greetings by national day: those due tomorrow appear the day before, for review",
  handler: "src/handlers/list-greetings.ts",
  roles: READERS,
  access: "read",
  request: {
    query: z.object({ ...PeriodQuery, status: z.optional(GreetingStatus), ...PagingQuery }).check(orderedPeriod),
  },
  responses: { 200: { description: "A page of greetings", schema: pageOf(Greeting) } },
});

export const editGreeting = defineRoute({
  method: "PATCH",
  path: "/greetings/{id}",
  operationId: "editGreeting",
  summary: "Change a drafted greeting's subject or message before it is approved",
  handler: "src/handlers/edit-greeting.ts",
  roles: WRITERS,
  access: "write",
  request: { params: GreetingParams, body: GreetingEdit },
  responses: {
    200: { description: "Edited", schema: Greeting },
    404: problem("Unknown greeting"),
    409: problem("Approved or released already, or its day has passed"),
    ...STALE,
  },
});

export const approveGreeting = defineRoute({
  method: "POST",
  path: "/greetings/{id}/approve",
  operationId: "approveGreeting",
  summary: "Approve a greeting's text: it is sent on the national day (at once, when that is today)",
  handler: "src/handlers/approve-greeting.ts",
  roles: WRITERS,
  access: "write",
  request: { params: GreetingParams },
  responses: {
    200: { description: "Approved (or released)", schema: Greeting },
    404: problem("Unknown greeting"),
    409: problem("Approved or released already, or its day has passed"),
    ...STALE,
  },
});

export const routes = [
  registerMission,
  listMissions,
  getMission,
  updateMission,
  getMissionContacts,
  scheduleCall,
  listCalls,
  getCall,
  getCallVisitors,
  rescheduleCall,
  completeCall,
  cancelCall,
  recordHospitality,
  listHospitality,
  getHospitality,
  updateHospitality,
  cancelHospitality,
  getHospitalitySpending,
  declareGift,
  listDeclarations,
  registerGift,
  listGifts,
  getGift,
  getGiftRecord,
  editGift,
  changeGiftDisposition,
  listGreetings,
  editGreeting,
  approveGreeting,
];
