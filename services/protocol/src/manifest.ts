import { fileURLToPath } from "node:url";
import {
  CourtesyCallCancelled,
  CourtesyCallCompleted,
  CourtesyCallScheduled,
  NationalDayGreetingReleased,
  VisitApproved,
  VisitCancelled,
  VisitConfirmed,
} from "@cdp/contracts";
import { defineMultiSubscription, GSI1, type ScheduleSpec, type ServiceManifest, standardTable } from "@cdp/lambda-kit";
import { routes, SERVICE_NAME } from "./api.ts";

export const table = standardTable("PROTOCOL_TABLE", [GSI1]);

/**
 * The governor's days abroad, from the visit scheduling service's events: an approved or confirmed outbound visit
 * led by the governor takes its days; a cancellation gives them back.
 */
export const governorAbroadSubscription = defineMultiSubscription({
  name: "governor-abroad",
  contracts: [VisitApproved, VisitConfirmed, VisitCancelled],
  handler: "src/handlers/on-visit-event.ts",
});

/**
 * Every morning in Tokyo: today's national-day greetings are sent (approved or, unreviewed, as drafted), then
 * tomorrow's are drafted for review. Sent once a year per mission, however often it runs.
 */
export const nationalDaysSchedule: ScheduleSpec = {
  name: "national-days",
  expression: "cron(0 8 * * ? *)",
  timezone: "Asia/Tokyo",
  description: "Sends today's national-day greetings and drafts tomorrow's for review",
  handler: "src/handlers/national-days.ts",
};

/** Every morning in Tokyo: received gifts over the threshold declared more than 30 days ago and not registered. */
export const overdueGiftsSchedule: ScheduleSpec = {
  name: "overdue-gift-declarations",
  expression: "cron(0 9 * * ? *)",
  timezone: "Asia/Tokyo",
  description: "Flags received gifts over the threshold not registered within 30 days",
  handler: "src/handlers/flag-overdue-gifts.ts",
};

export const manifest: ServiceManifest = {
  name: SERVICE_NAME,
  title: "Protocol Office",
  root: fileURLToPath(new URL("..", import.meta.url)),
  table,
  routes,
  subscriptions: [governorAbroadSubscription],
  schedules: [nationalDaysSchedule, overdueGiftsSchedule],
  publishes: [CourtesyCallScheduled, CourtesyCallCancelled, CourtesyCallCompleted, NationalDayGreetingReleased],
  seed: "src/seed.ts",
};
