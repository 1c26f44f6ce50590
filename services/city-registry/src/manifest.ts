import { fileURLToPath } from "node:url";
import {
  AgreementConcluded,
  PartnerRegistered,
  PartnerUpdated,
  RelationDormant,
  RelationEstablished,
  VisitCompleted,
} from "@cdp/contracts";
import { defineSubscription, GSI1, GSI2, type ServiceManifest, standardTable } from "@cdp/lambda-kit";
import { routes, SERVICE_NAME } from "./api.ts";

export const table = standardTable("CITY_REGISTRY_TABLE", [GSI1, GSI2]);

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
  subscriptions: [visitCompletedSubscription],
  schedules: [dormancyReview],
  publishes: [PartnerRegistered, PartnerUpdated, AgreementConcluded, RelationEstablished, RelationDormant],
  seed: "src/seed.ts",
};
