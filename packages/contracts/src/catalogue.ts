import {
  AgreementConcluded,
  PartnerRegistered,
  PartnerUpdated,
  RelationDormant,
  RelationEstablished,
  VisitApproved,
  VisitCancelled,
  VisitCompleted,
  VisitConfirmed,
} from "./events.ts";
import {
  FiscalYearClosed,
  FundHoldPlaced,
  FundHoldPosted,
  FundHoldRejected,
  FundHoldRequested,
  FundHoldVoided,
  FundJournalPosted,
  LedgerReconciliationFailed,
} from "./fund-ledger.ts";

/** Every event of the platform: the published JSON Schemas and the compatibility check cover each. */
export const ALL_CONTRACTS = [
  PartnerRegistered,
  PartnerUpdated,
  AgreementConcluded,
  RelationEstablished,
  RelationDormant,
  VisitCompleted,
  VisitApproved,
  VisitConfirmed,
  VisitCancelled,
  FundHoldRequested,
  FundHoldPlaced,
  FundHoldRejected,
  FundHoldPosted,
  FundHoldVoided,
  FundJournalPosted,
  FiscalYearClosed,
  LedgerReconciliationFailed,
] as const;
