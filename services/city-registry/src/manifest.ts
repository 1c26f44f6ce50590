import { fileURLToPath } from "node:url";
import {
  AgreementConcluded,
  CourtesyCallCompleted,
  PartnerRegistered,
  PartnerUpdated,
  RelationDormant,
  RelationEstablished,
  VisitCompleted,
} from "@cdp/contracts";
import { defineSubscription, GSI1, GSI2, type ServiceManifest, standardTable } from "@cdp/lambda-kit";
import { routes, SERVICE_NAME } from "./api.ts";

export const table = standardTable("CITY_REGISTRY_TABLE", [GSI1, GSI2]);

/** Courtesy calls that took place (the protocol office): exchanges with each partner, for the dormancy review. */
export const courtesyCallCompletedSubscription = defineSubscription({
  name: "courtesy-call-completed",
  contract: CourtesyCallCompleted,
  handler: "src/handlers/on-courtesy-call-completed.ts",
});

export const visitCompletedSubscription = defineSubscription({
  name: "visit-completed",
  contract: VisitCompleted,
  handler: "src/handlers/on-visit-completed.ts",
});

export const dormancyReview = {
  name: "dormancy-review",
  expression: "cron(0 3 * * ? *)",
  timezone: "Asia/Tokyo",
  description: "Marks established partners with no exchange in 24 months as dormant",
  handler: "src/handlers/dormancy-review.ts",
} as const;

export const manifest: ServiceManifest = {
  name: SERVICE_NAME,
  title: "City Registry",
  root: fileURLToPath(new URL("..", import.meta.url)),
  table,
  routes,
  subscriptions: [visitCompletedSubscription, courtesyCallCompletedSubscription],
  schedules: [dormancyReview],
  publishes: [PartnerRegistered, PartnerUpdated, AgreementConcluded, RelationEstablished, RelationDormant],
  seed: "src/seed.ts",
};
