import {
  BilingualText,
  FiscalYearNumber,
  HoldReference,
  IsoDate,
  ProgrammeId,
  type Role,
  Text,
  YenAmount,
} from "@cdp/contracts";
import { defineRoute, orderedPeriod, PagingQuery, PeriodQuery, pageOf } from "@cdp/lambda-kit";
import * as z from "zod/mini";
import { INCOME_SOURCES } from "./domain/chart.ts";
import {
  ApprovalRequestSchema,
  ExpenseRequestSchema,
  FiscalYearSchema,
  HoldRequestSchema,
  HoldSchema,
  JournalSchema,
  ProgrammeSchema,
} from "./domain/model.ts";

export const SERVICE_NAME = "fund-ledger";
const MANAGERS: readonly Role[] = ["fund-manager"];
const APPROVERS: readonly Role[] = ["fund-approver"];
const READERS: readonly Role[] = ["fund-manager", "fund-approver", "auditor", "admin"];

const problem = (description: string) => ({ description });
/** Every write takes an Idempotency-Key: the kit adds 400/401/403; these are the ledger's own answers. */
const WRITE = {
  409: problem(
    "A rule of the ledger refuses it (named in `rule`): insufficient-available, fiscal-year-closed, settlement-period, …",
  ),
  422: problem("The Idempotency-Key was used for a different request"),
};
const IDEMPOTENT = ["Idempotency-Key"] as const;

const Id = z.object({ id: z.uuid() });
const AccountId = Text(128);

export const contributeCapital = defineRoute({
  method: "POST",
  path: "/capital",
  operationId: "contributeCapital",
  summary: "Record capital contributed to the fund's principal (bank ← principal)",
  handler: "src/handlers/contribute-capital.ts",
  roles: MANAGERS,
  access: "write",
  request: {
    body: z.strictObject({ amountYen: YenAmount, description: BilingualText, reference: z.optional(HoldReference) }),
  },
  requiredHeaders: IDEMPOTENT,
  responses: { 201: { description: "The journal", schema: JournalSchema }, ...WRITE },
});

export const recordIncome = defineRoute({
  method: "POST",
  path: "/income",
  operationId: "recordIncome",
  summary: "Record income of the current fiscal year: investment income or a contribution from the general account",
  handler: "src/handlers/record-income.ts",
  roles: MANAGERS,
  access: "write",
  request: {
    body: z.strictObject({
      source: z.enum(INCOME_SOURCES),
      amountYen: YenAmount,
      description: BilingualText,
      reference: z.optional(HoldReference),
    }),
  },
  requiredHeaders: IDEMPOTENT,
  responses: { 201: { description: "The journal", schema: JournalSchema }, ...WRITE },
});

export const appropriate = defineRoute({
  method: "POST",
  path: "/appropriations",
  operationId: "appropriate",
  summary: "Appropriate a fiscal year's budget to a programme, from the principal",
  handler: "src/handlers/appropriate.ts",
  roles: MANAGERS,
  access: "write",
  request: {
    body: z.strictObject({
      fiscalYear: FiscalYearNumber,
      programme: ProgrammeId,
      amountYen: YenAmount,
      description: BilingualText,
    }),
  },
  requiredHeaders: IDEMPOTENT,
  responses: {
    201: { description: "The journal", schema: JournalSchema },
    404: problem("Unknown programme"),
    ...WRITE,
  },
});

export const placeHold = defineRoute({
  method: "POST",
  path: "/holds",
  operationId: "placeHold",
  summary: "Hold an amount against a programme's appropriation; above its threshold it waits for a second person",
  handler: "src/handlers/place-hold.ts",
  roles: MANAGERS,
  access: "write",
  request: { body: HoldRequestSchema },
  requiredHeaders: IDEMPOTENT,
  responses: {
    201: { description: "Held", schema: HoldSchema },
    202: { description: "Awaiting approval (two-person rule)", schema: ApprovalRequestSchema },
    404: problem("No such programme or appropriation"),
    ...WRITE,
  },
});

export const getHold = defineRoute({
  method: "GET",
  path: "/holds/{id}",
  operationId: "getHold",
  summary: "Read a hold",
  handler: "src/handlers/get-hold.ts",
  roles: READERS,
  access: "read",
  request: { params: Id },
  responses: { 200: { description: "The hold", schema: HoldSchema }, 404: problem("Unknown hold") },
});

export const postHold = defineRoute({
  method: "POST",
  path: "/holds/{id}/post",
  operationId: "postHold",
  summary: "Post a hold, fully or partly (the remainder is released); a hold is resolved once",
  handler: "src/handlers/post-hold.ts",
  roles: MANAGERS,
  access: "write",
  request: { params: Id, body: z.strictObject({ amountYen: z.optional(YenAmount) }) },
  requiredHeaders: IDEMPOTENT,
  responses: { 200: { description: "Posted", schema: HoldSchema }, 404: problem("Unknown hold"), ...WRITE },
});

export const voidHold = defineRoute({
  method: "POST",
  path: "/holds/{id}/void",
  operationId: "voidHold",
  summary: "Void a hold: all of it is released",
  handler: "src/handlers/void-hold.ts",
  roles: MANAGERS,
  access: "write",
  request: { params: Id },
  requiredHeaders: IDEMPOTENT,
  responses: { 200: { description: "Voided", schema: HoldSchema }, 404: problem("Unknown hold"), ...WRITE },
});

export const spend = defineRoute({
  method: "POST",
  path: "/expenses",
  operationId: "spend",
  summary: "Spend directly (an expense without a hold); above the threshold it waits for a second person",
  handler: "src/handlers/spend.ts",
  roles: MANAGERS,
  access: "write",
  request: { body: ExpenseRequestSchema },
  requiredHeaders: IDEMPOTENT,
  responses: {
    201: { description: "The expense journal", schema: JournalSchema },
    202: { description: "Awaiting approval (two-person rule)", schema: ApprovalRequestSchema },
    404: problem("No such programme or appropriation"),
    ...WRITE,
  },
});

export const listApprovals = defineRoute({
  method: "GET",
  path: "/approvals",
  operationId: "listApprovals",
  summary: "Requests awaiting a fund-approver",
  handler: "src/handlers/list-approvals.ts",
  roles: READERS,
  access: "read",
  request: {},
  responses: { 200: { description: "Awaiting approval", schema: z.object({ items: z.array(ApprovalRequestSchema) }) } },
});

export const getApproval = defineRoute({
  method: "GET",
  path: "/approvals/{id}",
  operationId: "getApproval",
  summary: "Read an approval request",
  handler: "src/handlers/get-approval.ts",
  roles: READERS,
  access: "read",
  request: { params: Id },
  responses: { 200: { description: "The request", schema: ApprovalRequestSchema }, 404: problem("Unknown request") },
});

export const approveRequest = defineRoute({
  method: "POST",
  path: "/approvals/{id}/approve",
  operationId: "approveRequest",
  summary: "Approve a hold or expense (a fund-approver other than the requester): it is placed or posted",
  handler: "src/handlers/approve-request.ts",
  roles: APPROVERS,
  access: "write",
  request: { params: Id },
  requiredHeaders: IDEMPOTENT,
  responses: {
    200: { description: "Approved", schema: ApprovalRequestSchema },
    404: problem("Unknown request"),
    ...WRITE,
  },
});

export const rejectRequest = defineRoute({
  method: "POST",
  path: "/approvals/{id}/reject",
  operationId: "rejectRequest",
  summary: "Reject a hold or expense awaiting approval, with a reason",
  handler: "src/handlers/reject-request.ts",
  roles: APPROVERS,
  access: "write",
  request: { params: Id, body: z.strictObject({ reason: Text(1000) }) },
  requiredHeaders: IDEMPOTENT,
  responses: {
    200: { description: "Rejected", schema: ApprovalRequestSchema },
    404: problem("Unknown request"),
    ...WRITE,
  },
});

export const getJournal = defineRoute({
  method: "GET",
  path: "/journals/{id}",
  operationId: "getJournal",
  summary: "A journal with its audit trail: who, when, the approval, the request and correlation ids",
  handler: "src/handlers/get-journal.ts",
  roles: READERS,
  access: "read",
  request: { params: Id },
  responses: {
    200: {
      description: "The journal",
      schema: z.object({
        journal: JournalSchema,
        reversedBy: z.optional(z.uuid()),
        audit: z.array(z.record(z.string(), z.unknown())),
      }),
    },
    404: problem("Unknown journal"),
  },
});

export const reverseJournal = defineRoute({
  method: "POST",
  path: "/journals/{id}/reverse",
  operationId: "reverseJournal",
  summary: "Correct a journal by a reversing journal linked to it (once)",
  handler: "src/handlers/reverse-journal.ts",
  roles: MANAGERS,
  access: "write",
  request: { params: Id, body: z.strictObject({ description: z.optional(BilingualText) }) },
  requiredHeaders: IDEMPOTENT,
  responses: {
    201: { description: "The reversing journal", schema: JournalSchema },
    404: problem("Unknown journal"),
    ...WRITE,
  },
});

const BalanceSchema = z.object({
  account: z.string(),
  counters: z.object({
    debitsPosted: z.int(),
    creditsPosted: z.int(),
    debitsPending: z.int(),
    creditsPending: z.int(),
  }),
  posted: z.int(),
  pending: z.int(),
  available: z.int(),
});

export const getBalances = defineRoute({
  method: "GET",
  path: "/balances",
  operationId: "getBalances",
  summary: "Every account's posted, pending and available balance, now or as of a day",
  handler: "src/handlers/get-balances.ts",
  roles: READERS,
  access: "read",
  request: { query: z.object({ asOf: z.optional(IsoDate), fiscalYear: z.optional(z.coerce.number().check(z.int())) }) },
  responses: {
    200: { description: "Balances", schema: z.object({ asOf: z.optional(IsoDate), items: z.array(BalanceSchema) }) },
  },
});

const EntrySchema = z.object({
  account: z.string(),
  journalId: z.uuid(),
  line: z.int(),
  kind: z.string(),
  phase: z.string(),
  date: IsoDate,
  side: z.enum(["debit", "credit"]),
  amountYen: z.int(),
});

export const listEntries = defineRoute({
  method: "GET",
  path: "/accounts/{account}/entries",
  operationId: "listEntries",
  summary: "An account's entries by date, a page at a time",
  handler: "src/handlers/list-entries.ts",
  roles: READERS,
  access: "read",
  request: {
    params: z.object({ account: AccountId }),
    query: z.object({ ...PeriodQuery, ...PagingQuery }).check(orderedPeriod),
  },
  responses: {
    200: { description: "A page of entries", schema: pageOf(EntrySchema) },
    404: problem("Unknown account"),
  },
});

export const getTrialBalance = defineRoute({
  method: "GET",
  path: "/trial-balance",
  operationId: "getTrialBalance",
  summary: "Every account, debits positive and credits negative: each column sums to zero",
  handler: "src/handlers/get-trial-balance.ts",
  roles: READERS,
  access: "read",
  request: { query: z.object({ asOf: z.optional(IsoDate) }) },
  responses: {
    200: {
      description: "The trial balance",
      schema: z.object({
        accounts: z.array(z.object({ account: z.string(), postedYen: z.int(), pendingYen: z.int() })),
        postedTotalYen: z.int(),
        pendingTotalYen: z.int(),
      }),
    },
  },
});

const FiscalYearParams = z.object({ fiscalYear: z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2099)) });

export const getStatement = defineRoute({
  method: "GET",
  path: "/fiscal-years/{fiscalYear}/statement",
  operationId: "getStatement",
  summary: "The programme statement of a fiscal year: appropriated, held, spent, available, released",
  handler: "src/handlers/get-statement.ts",
  roles: READERS,
  access: "read",
  request: { params: FiscalYearParams },
  responses: {
    200: {
      description: "The statement",
      schema: z.object({
        fiscalYear: z.int(),
        status: z.string(),
        programmes: z.array(
          z.object({
            programme: z.string(),
            appropriatedYen: z.int(),
            heldYen: z.int(),
            spentYen: z.int(),
            availableYen: z.int(),
            releasedYen: z.int(),
            returnedYen: z.int(),
          }),
        ),
      }),
    },
  },
});

export const closeYear = defineRoute({
  method: "POST",
  path: "/fiscal-years/{fiscalYear}/close",
  operationId: "closeFiscalYear",
  summary: "Close a fiscal year after May 31: holds voided, unspent appropriations back to the principal, locked",
  handler: "src/handlers/close-year.ts",
  roles: MANAGERS,
  access: "write",
  request: { params: FiscalYearParams },
  requiredHeaders: IDEMPOTENT,
  responses: { 200: { description: "Closed", schema: FiscalYearSchema }, ...WRITE },
});

export const listProgrammes = defineRoute({
  method: "GET",
  path: "/programmes",
  operationId: "listProgrammes",
  summary: "The programmes the fund pays for, with their two-person thresholds",
  handler: "src/handlers/list-programmes.ts",
  roles: READERS,
  access: "read",
  request: {},
  responses: { 200: { description: "Programmes", schema: z.object({ items: z.array(ProgrammeSchema) }) } },
});

export const addProgramme = defineRoute({
  method: "POST",
  path: "/programmes",
  operationId: "addProgramme",
  summary: "Add a programme (a purpose the fund's ordinance allows)",
  handler: "src/handlers/add-programme.ts",
  roles: MANAGERS,
  access: "write",
  request: {
    body: z.strictObject({ id: ProgrammeId, name: BilingualText, approvalThresholdYen: z.optional(YenAmount) }),
  },
  requiredHeaders: IDEMPOTENT,
  responses: { 201: { description: "Added", schema: ProgrammeSchema }, ...WRITE },
});

export const getReconciliation = defineRoute({
  method: "GET",
  path: "/reconciliation",
  operationId: "getReconciliation",
  summary: "The latest nightly reconciliation: balances rebuilt from entries against the stored ones",
  handler: "src/handlers/get-reconciliation.ts",
  roles: READERS,
  access: "read",
  request: {},
  responses: {
    200: {
      description: "The latest run",
      schema: z.object({
        runId: z.uuid(),
        checkedAt: z.string(),
        accounts: z.int(),
        ok: z.boolean(),
        trialBalance: z.object({ postedTotalYen: z.int(), pendingTotalYen: z.int() }),
        mismatches: z.array(
          z.object({ account: z.string(), field: z.string(), storedYen: z.int(), fromEntriesYen: z.int() }),
        ),
      }),
    },
    404: problem("No reconciliation has run yet"),
  },
});

export const routes = [
  contributeCapital,
  recordIncome,
  appropriate,
  placeHold,
  getHold,
  postHold,
  voidHold,
  spend,
  listApprovals,
  getApproval,
  approveRequest,
  rejectRequest,
  getJournal,
  reverseJournal,
  getBalances,
  listEntries,
  getTrialBalance,
  getStatement,
  closeYear,
  listProgrammes,
  addProgramme,
  getReconciliation,
];
