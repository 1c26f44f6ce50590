import { fileURLToPath } from "node:url";
import {
  AgreementConcluded,
  ExchangeProgrammeCreated,
  FundHoldPlaced,
  FundHoldPostRequested,
  FundHoldRejected,
  FundHoldRequested,
  FundHoldVoidRequested,
  PartnerRegistered,
  PlacementApproved,
  PlacementCancelled,
  PlacementCompleted,
  PlacementFunded,
  PlacementFundingRejected,
  PlacementProposed,
  PlacementStarted,
} from "@cdp/contracts";
import { defineSubscription, GSI1, type ServiceManifest, standardTable } from "@cdp/lambda-kit";
import { routes, SERVICE_NAME } from "./api.ts";
import { REQUESTER } from "./domain/decide.ts";

export const table = standardTable("STAFF_EXCHANGE_TABLE", [GSI1]);

/** The ledger's answers to this service's requests only: the rule matches the requester. */
const answersToUs = (contract: typeof FundHoldPlaced | typeof FundHoldRejected) => ({
  source: [contract.source],
  "detail-type": [contract.detailType],
  detail: { requester: [REQUESTER] },
});

export const holdPlacedSubscription = defineSubscription({
  name: "hold-placed",
  contract: FundHoldPlaced,
  handler: "src/handlers/on-hold-placed.ts",
  pattern: answersToUs(FundHoldPlaced),
});

export const holdRejectedSubscription = defineSubscription({
  name: "hold-rejected",
  contract: FundHoldRejected,
  handler: "src/handlers/on-hold-rejected.ts",
  pattern: answersToUs(FundHoldRejected),
});

export const partnerRegisteredSubscription = defineSubscription({
  name: "partner-registered",
  contract: PartnerRegistered,
  handler: "src/handlers/on-partner-registered.ts",
});

export const agreementConcludedSubscription = defineSubscription({
  name: "agreement-concluded",
  contract: AgreementConcluded,
  handler: "src/handlers/on-agreement-concluded.ts",
});

export const fundingOverdueSchedule = {
  name: "funding-overdue",
  expression: "cron(0 * * * ? *)",
  timezone: "Asia/Tokyo",
  description: "Flags approved placements whose funding has been awaited longer than FUNDING_WAIT_HOURS (48)",
  handler: "src/handlers/flag-funding-overdue.ts",
} as const;

export const manifest: ServiceManifest = {
  name: SERVICE_NAME,
  title: "Staff Exchange",
  root: fileURLToPath(new URL("..", import.meta.url)),
  table,
  routes,
  subscriptions: [
    holdPlacedSubscription,
    holdRejectedSubscription,
    partnerRegisteredSubscription,
    agreementConcludedSubscription,
  ],
  schedules: [fundingOverdueSchedule],
  publishes: [
    ExchangeProgrammeCreated,
    PlacementProposed,
    PlacementApproved,
    PlacementFunded,
    PlacementFundingRejected,
    PlacementStarted,
    PlacementCompleted,
    PlacementCancelled,
    FundHoldRequested,
    FundHoldPostRequested,
    FundHoldVoidRequested,
  ],
  seed: "src/seed.ts",
};
