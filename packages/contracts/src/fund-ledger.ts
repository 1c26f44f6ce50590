import * as z from "zod/mini";
import { CorrelationId, contract, EventMetadata } from "./events.ts";
import { BilingualText, IsoDate, PartnerId, Text } from "./values.ts";

/**
 * The Tokyo Human Resources Fund for City Diplomacy's ledger: what it publishes, and the one event it
 * accepts from others (`FundHoldRequested.v1`), so that a service asks for money without calling it.
 */
export const FUND_LEDGER_SOURCE = "tmg.fund-ledger";

/** Whole yen (JPY has no minor unit), exact as a JavaScript number: at most 2^53 − 1. */
export const YenAmount = z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER));
/** A balance or a total in yen, which may be zero (or, for a signed balance, negative). */
export const YenTotal = z.int().check(z.minimum(-Number.MAX_SAFE_INTEGER), z.maximum(Number.MAX_SAFE_INTEGER));

/** A programme the fund pays for: `scholarships`, `joint-research`, `staff-exchange`, `talent-development`, … */
export const ProgrammeId = z
  .string()
  .check(z.minLength(2), z.maxLength(48), z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a lower-case slug"));
export type ProgrammeId = z.infer<typeof ProgrammeId>;

/** A fiscal year by the calendar year it starts in: FY2026 runs from 2026-04-01 to 2027-03-31. */
export const FiscalYearNumber = z.int().check(z.minimum(2000), z.maximum(2099));

/** The requester's own key for a request (e.g. `placement:<id>`): the ledger acts on it once. */
export const HoldReference = z
  .string()
  .check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:#/-]+$/, "letters, digits and ._:#/- only"));

const Envelope = { correlationId: CorrelationId, metadata: EventMetadata };

const HoldFacts = {
  reference: HoldReference,
  /** The service that asked, when the hold came as an event; absent for holds made over HTTP. */
  requester: z.optional(Text(64)),
  programme: ProgrammeId,
  fiscalYear: FiscalYearNumber,
  amountYen: YenAmount,
};

/** Owned by the ledger, published by others: "hold this amount for me". `reference` is the idempotency key. */
export const FundHoldRequested = contract(
  FUND_LEDGER_SOURCE,
  "FundHoldRequested.v1",
  z.object({
    ...HoldFacts,
    requester: Text(64),
    description: BilingualText,
    /** The hold is voided at the end of this day (Asia/Tokyo) unless posted before. */
    expiresOn: z.optional(IsoDate),
    partnerId: z.optional(PartnerId),
    ...Envelope,
  }),
);

/**
 * Owned by the ledger, published by others: "post this much of the hold I asked for under `reference`,
 * release the rest". 0 posts nothing and releases all. Acted on once per `reference`.
 */
export const FundHoldPostRequested = contract(
  FUND_LEDGER_SOURCE,
  "FundHoldPostRequested.v1",
  z.object({
    reference: HoldReference,
    requester: Text(64),
    amountYen: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
    ...Envelope,
  }),
);

/**
 * Owned by the ledger: "void the hold I asked for under `reference`". When it arrives before the hold
 * request itself (events are not ordered), the reference is closed so the late request places nothing.
 */
export const FundHoldVoidRequested = contract(
  FUND_LEDGER_SOURCE,
  "FundHoldVoidRequested.v1",
  z.object({ reference: HoldReference, requester: Text(64), reason: Text(1000), ...Envelope }),
);

export const FundHoldPlaced = contract(
  FUND_LEDGER_SOURCE,
  "FundHoldPlaced.v1",
  z.object({ holdId: z.uuid(), ...HoldFacts, expiresOn: z.optional(IsoDate), journalId: z.uuid(), ...Envelope }),
);

export const HoldRejectionReason = z.enum([
  "insufficient-available",
  "fiscal-year-closed",
  "settlement-period",
  "unknown-appropriation",
  "approver-rejected",
]);

export const FundHoldRejected = contract(
  FUND_LEDGER_SOURCE,
  "FundHoldRejected.v1",
  z.object({
    ...HoldFacts,
    holdId: z.optional(z.uuid()),
    reason: HoldRejectionReason,
    detail: Text(1000),
    ...Envelope,
  }),
);

export const FundHoldPosted = contract(
  FUND_LEDGER_SOURCE,
  "FundHoldPosted.v1",
  z.object({
    holdId: z.uuid(),
    ...HoldFacts,
    postedYen: z.int().check(z.minimum(0)),
    releasedYen: z.int().check(z.minimum(0)),
    journalId: z.uuid(),
    ...Envelope,
  }),
);

export const FundHoldVoided = contract(
  FUND_LEDGER_SOURCE,
  "FundHoldVoided.v1",
  z.object({
    holdId: z.uuid(),
    ...HoldFacts,
    releasedYen: YenAmount,
    reason: z.enum(["voided", "expired", "fiscal-year-closed"]),
    journalId: z.uuid(),
    ...Envelope,
  }),
);

export const JournalKind = z.enum([
  "capital",
  "income",
  "appropriation",
  "hold",
  "posting",
  "release",
  "expense",
  "reversal",
  "closing",
]);

export const JournalLineFacts = z.object({
  account: Text(128),
  side: z.enum(["debit", "credit"]),
  amountYen: YenAmount,
});

export const FundJournalPosted = contract(
  FUND_LEDGER_SOURCE,
  "FundJournalPosted.v1",
  z.object({
    journalId: z.uuid(),
    kind: JournalKind,
    fiscalYear: FiscalYearNumber,
    date: IsoDate,
    /** A hold's journal is pending until it is posted or released. */
    pending: z.boolean(),
    reference: z.optional(Text(128)),
    description: BilingualText,
    lines: z.array(JournalLineFacts).check(z.minLength(2)),
    reverses: z.optional(z.uuid()),
    ...Envelope,
  }),
);

export const FiscalYearClosed = contract(
  FUND_LEDGER_SOURCE,
  "FiscalYearClosed.v1",
  z.object({
    fiscalYear: FiscalYearNumber,
    returnedToPrincipalYen: z.int().check(z.minimum(0)),
    voidedHolds: z.int().check(z.minimum(0)),
    journalIds: z.array(z.uuid()),
    ...Envelope,
  }),
);

export const LedgerReconciliationFailed = contract(
  FUND_LEDGER_SOURCE,
  "LedgerReconciliationFailed.v1",
  z.object({
    runId: z.uuid(),
    checkedAt: z.iso.datetime({ offset: true }),
    mismatches: z
      .array(
        z.object({
          account: Text(128),
          field: Text(64),
          storedYen: YenTotal,
          fromEntriesYen: YenTotal,
        }),
      )
      .check(z.minLength(1)),
    ...Envelope,
  }),
);

/** A nightly check that found every balance equal to its entries and the trial balance zero. */
export const LedgerReconciled = contract(
  FUND_LEDGER_SOURCE,
  "LedgerReconciled.v1",
  z.object({
    runId: z.uuid(),
    checkedAt: z.iso.datetime({ offset: true }),
    accounts: z.int().check(z.minimum(0)),
    ...Envelope,
  }),
);
