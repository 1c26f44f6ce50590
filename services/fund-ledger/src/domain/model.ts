import {
  BilingualText,
  FiscalYearNumber,
  HoldReference,
  IsoDate,
  JournalKind,
  PartnerId,
  ProgrammeId,
  Text,
  YenAmount,
} from "@cdp/contracts";
import * as z from "zod/mini";
import type { Line, Phase } from "./balances.ts";

/** The entities of the ledger as the API shows them (and the store keeps them). */

export const JournalLineSchema = z.object({
  account: Text(128),
  side: z.enum(["debit", "credit"]),
  amountYen: YenAmount,
});

export const Approval = z.object({ by: z.string(), at: z.iso.datetime({ offset: true }) });
export type ApprovalStamp = z.infer<typeof Approval>;

export const JournalSchema = z.object({
  id: z.uuid(),
  kind: JournalKind,
  fiscalYear: FiscalYearNumber,
  date: IsoDate,
  /** posted; pending (a hold); release (a hold's pending amounts taken back, on post, void or expiry). */
  phase: z.enum(["posted", "pending", "release"]),
  description: BilingualText,
  reference: z.optional(z.string()),
  lines: z.array(JournalLineSchema),
  /** The journal this one reverses, or whose pending amounts it releases. */
  reverses: z.optional(z.uuid()),
  releases: z.optional(z.uuid()),
  holdId: z.optional(z.uuid()),
  actor: z.string(),
  /** Who approved it under the two-person rule, when the rule applied. */
  approval: z.nullable(Approval),
  requestId: z.optional(z.string()),
  correlationId: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type Journal = Omit<z.infer<typeof JournalSchema>, "lines" | "phase"> & {
  readonly lines: readonly Line[];
  readonly phase: Phase;
};

export const HoldStatus = z.enum(["held", "posted", "voided", "expired"]);
export type HoldStatus = z.infer<typeof HoldStatus>;

export const HoldSchema = z.object({
  id: z.uuid(),
  reference: HoldReference,
  requester: z.optional(z.string()),
  programme: ProgrammeId,
  fiscalYear: FiscalYearNumber,
  amountYen: YenAmount,
  description: BilingualText,
  expiresOn: z.optional(IsoDate),
  partnerId: z.optional(PartnerId),
  status: HoldStatus,
  /** The hold's own (pending) journal. */
  journalId: z.uuid(),
  postedYen: z.int(),
  releasedYen: z.int(),
  /** The journals that resolved it: the release, and the posting when posted. */
  resolvedBy: z.optional(z.array(z.uuid())),
  approval: z.nullable(Approval),
  createdBy: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  resolvedAt: z.optional(z.iso.datetime({ offset: true })),
  version: z.int(),
});
export type Hold = z.infer<typeof HoldSchema>;

/** A hold or an expense above its programme's threshold waits here for a second person. */
export const ApprovalRequestSchema = z.object({
  id: z.uuid(),
  operation: z.enum(["hold", "expense"]),
  status: z.enum(["awaiting-approval", "approved", "rejected"]),
  reference: HoldReference,
  requester: z.optional(z.string()),
  programme: ProgrammeId,
  fiscalYear: FiscalYearNumber,
  amountYen: YenAmount,
  description: BilingualText,
  expiresOn: z.optional(IsoDate),
  partnerId: z.optional(PartnerId),
  requestedBy: z.string(),
  requestedAt: z.iso.datetime({ offset: true }),
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(z.iso.datetime({ offset: true })),
  reason: z.optional(z.string()),
  /** The hold placed, or the expense journal posted, on approval. */
  resultId: z.optional(z.uuid()),
  version: z.int(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

/**
 * What the ledger made of a requester's reference (`FundHoldRequested.v1`'s idempotency key), written once,
 * in the transaction that acted on it, and never changed: by the first hold request, or by a void that came
 * before any request (events are not ordered), which closes the reference so the late request places nothing.
 */
export interface RequestRecord {
  readonly requester: string;
  readonly reference: string;
  /** A hold id or an approval request id; `rejected:<reason>`; or `voided-before-request`. */
  readonly result: string;
  /** The event that made the record. */
  readonly eventId?: string | undefined;
  /** Why the requester voided it, when a void closed the reference. */
  readonly reason?: string | undefined;
  readonly closedAt?: string | undefined;
}

export const DEFAULT_APPROVAL_THRESHOLD_YEN = 5_000_000;

export const ProgrammeSchema = z.object({
  id: ProgrammeId,
  name: BilingualText,
  /** Holds and expenses above this wait for a fund-approver other than the requester. */
  approvalThresholdYen: YenAmount,
  createdAt: z.iso.datetime({ offset: true }),
});
export type Programme = z.infer<typeof ProgrammeSchema>;

export const FiscalYearSchema = z.object({
  fiscalYear: FiscalYearNumber,
  status: z.enum(["open", "closing", "closed"]),
  closedAt: z.optional(z.iso.datetime({ offset: true })),
  closedBy: z.optional(z.string()),
  returnedToPrincipalYen: z.optional(z.int()),
  closingJournalIds: z.optional(z.array(z.uuid())),
  version: z.int(),
});
export type FiscalYear = z.infer<typeof FiscalYearSchema>;

/** What a caller asks for; the API's request bodies. */
export const HoldRequestSchema = z.strictObject({
  reference: HoldReference,
  programme: ProgrammeId,
  fiscalYear: FiscalYearNumber,
  amountYen: YenAmount,
  description: BilingualText,
  expiresOn: z.optional(IsoDate),
  partnerId: z.optional(PartnerId),
});
export type HoldRequest = z.infer<typeof HoldRequestSchema> & { readonly requester?: string };

export const ExpenseRequestSchema = z.strictObject({
  reference: HoldReference,
  programme: ProgrammeId,
  fiscalYear: FiscalYearNumber,
  amountYen: YenAmount,
  description: BilingualText,
  partnerId: z.optional(PartnerId),
});
export type ExpenseRequest = z.infer<typeof ExpenseRequestSchema>;
