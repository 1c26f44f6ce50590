import { fileURLToPath } from "node:url";
import {
  NationalDayGreetingReleased,
  NoticeFailed,
  NoticeSentAfterFailure,
  PartnerRegistered,
  PartnerUpdated,
  PlacementCancelled,
  PlacementFunded,
  VisitCancelled,
  VisitConfirmed,
} from "@cdp/contracts";
import { defineSubscription, GSI1, GSI2, type ServiceManifest, standardTable } from "@cdp/lambda-kit";
import { routes, SERVICE_NAME } from "./api.ts";

export const table = standardTable("NOTIFICATIONS_TABLE", [GSI1, GSI2]);

export const partnerRegistered = defineSubscription({
  name: "partner-registered",
  contract: PartnerRegistered,
  handler: "src/handlers/on-partner-registered.ts",
});
export const partnerUpdated = defineSubscription({
  name: "partner-updated",
  contract: PartnerUpdated,
  handler: "src/handlers/on-partner-updated.ts",
});
export const visitConfirmed = defineSubscription({
  name: "visit-confirmed",
  contract: VisitConfirmed,
  handler: "src/handlers/on-visit-confirmed.ts",
  sendsEmail: true,
});
export const visitCancelled = defineSubscription({
  name: "visit-cancelled",
  contract: VisitCancelled,
  handler: "src/handlers/on-visit-cancelled.ts",
  sendsEmail: true,
});
export const placementFunded = defineSubscription({
  name: "placement-funded",
  contract: PlacementFunded,
  handler: "src/handlers/on-placement-funded.ts",
  sendsEmail: true,
});
/** A mission's national day: the protocol office released the greeting (once a year per mission, after review). */
export const nationalDayGreeting = defineSubscription({
  name: "national-day-greeting",
  contract: NationalDayGreetingReleased,
  handler: "src/handlers/on-national-day-greeting.ts",
  sendsEmail: true,
});

export const placementCancelled = defineSubscription({
  name: "placement-cancelled",
  contract: PlacementCancelled,
  handler: "src/handlers/on-placement-cancelled.ts",
  sendsEmail: true,
});

export const manifest: ServiceManifest = {
  name: SERVICE_NAME,
  title: "Notifications",
  root: fileURLToPath(new URL("..", import.meta.url)),
  table,
  routes,
  subscriptions: [
    partnerRegistered,
    partnerUpdated,
    visitConfirmed,
    visitCancelled,
    placementFunded,
    placementCancelled,
    nationalDayGreeting,
  ],
  schedules: [],
  publishes: [NoticeFailed, NoticeSentAfterFailure],
};
