import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { orRefuse, type WriteContext, withRetries } from "@cdp/lambda-kit";
import { createConference } from "./domain/decide-conference.ts";
import { setPlanSettings } from "./domain/decide-plan.ts";
import { decideTransition, editVisit, proposeVisit, type TransitionCommand } from "./domain/decide-visit.ts";
import type { Conference, ConferenceInput, PlanSettingsInput, Visit, VisitInput, VisitPatch } from "./domain/model.ts";
import { ConferenceStore } from "./store/conference-store.ts";
import { PlanStore } from "./store/plan-store.ts";
import { VisitStore } from "./store/visit-store.ts";

/**
 * The use cases of Visit Scheduling, each the same three steps: load through a store, decide in the
 * domain (a refusal is thrown as `Refused` for the kit to map), write the decision through the store.
 * A write that lost a race (`VersionConflict`) is tried again from a fresh read, which sees the winner.
 * Handlers, tests and the benchmark all go through here, so they exercise the same path.
 */
export class VisitScheduling {
  readonly visits: VisitStore;
  readonly conferences: ConferenceStore;
  readonly plans: PlanStore;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.visits = new VisitStore(client, tableName);
    this.conferences = new ConferenceStore(client, tableName);
    this.plans = new PlanStore(client, tableName);
  }

  propose(input: VisitInput, context: WriteContext): Promise<Visit> {
    return withRetries(() =>
      this.visits.commit(orRefuse(proposeVisit(input, { now: context.now, newId: randomUUID })), context),
    );
  }

  /** Changes what the patch names, on the version the caller read (If-Match). */
  edit(visitId: string, patch: VisitPatch, expectedVersion: number, context: WriteContext): Promise<Visit> {
    return withRetries(async () => {
      const current = await this.visits.get(visitId);
      const decision = orRefuse(
        editVisit(current, { visitId, patch, expectedVersion }, { now: context.now, newId: randomUUID }),
      );
      return this.visits.commit(decision, context);
    });
  }

  /** Approves, confirms, completes or cancels a visit; an approval first loads the governor's engagements near it. */
  transition(command: TransitionCommand, context: WriteContext): Promise<Visit> {
    return withRetries(async () => {
      const current = await this.visits.get(command.visitId);
      const nearby =
        command.action === "approve" && current?.governorEngagement
          ? await this.visits.governorVisitsAround(current)
          : [];
      return this.visits.commit(orRefuse(decideTransition(current, command, nearby, context.now)), context);
    });
  }

  createConference(input: ConferenceInput, context: WriteContext): Promise<Conference> {
    return withRetries(async () => {
      const existing = await this.conferences.existingVisitIds(input.visitIds);
      const decision = orRefuse(createConference(input, existing, { now: context.now, newId: randomUUID }));
      return this.conferences.commit(decision, context);
    });
  }

  setPlan(fiscalYear: number, settings: PlanSettingsInput, context: WriteContext): Promise<void> {
    return withRetries(async () => {
      const current = await this.plans.settings(fiscalYear);
      await this.plans.commit(orRefuse(setPlanSettings(current, fiscalYear, settings, context.now)), context);
    });
  }
}
