import { fileURLToPath } from "node:url";
import {
  ConferenceRegistered,
  TripPlanSet,
  VisitApproved,
  VisitCancelled,
  VisitCompleted,
  VisitConfirmed,
} from "@cdp/contracts";
import { GSI1, type ServiceManifest, standardTable } from "@cdp/lambda-kit";
import { routes, SERVICE_NAME } from "./api.ts";

export const table = standardTable("VISIT_SCHEDULING_TABLE", [GSI1]);

export const manifest: ServiceManifest = {
  name: SERVICE_NAME,
  title: "Visit Scheduling",
  root: fileURLToPath(new URL("..", import.meta.url)),
  table,
  routes,
  subscriptions: [],
  schedules: [],
  publishes: [VisitApproved, VisitConfirmed, VisitCancelled, VisitCompleted, ConferenceRegistered, TripPlanSet],
};
