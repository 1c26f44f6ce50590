import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { type Decision, queryAll, Transaction, VersionConflict, type WriteContext, withoutKeys } from "@cdp/lambda-kit";
import type { PlanSettingsState } from "../domain/decide-plan.ts";
import type { Visit } from "../domain/model.ts";
import { type AnnualPlan, annualPlan, DEFAULT_PLAN_SETTINGS, fiscalYearRange, plannedVisitOf } from "../domain/plan.ts";
import { governorVisitsQuery, planKey } from "./keys.ts";

/** The annual plans: each fiscal year's settings, and the governor's trips it is computed from. */
export class PlanStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async settings(fiscalYear: number): Promise<PlanSettingsState | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: planKey(fiscalYear) }));
    if (!Item) return undefined;
    return {
      fiscalYear,
      tripCap: Number(Item.tripCap),
      travelBudgetYen: Number(Item.travelBudgetYen),
      version: Number(Item.version ?? 0),
      updatedAt: String(Item.updatedAt),
    };
  }

  /** The fiscal year's plan under its settings (the defaults until some are set). */
  async plan(fiscalYear: number): Promise<AnnualPlan> {
    const settings = (await this.settings(fiscalYear)) ?? DEFAULT_PLAN_SETTINGS;
    const { start, end } = fiscalYearRange(fiscalYear);
    const items = await queryAll(this.client, governorVisitsQuery(this.tableName, start, end));
    return annualPlan(
      fiscalYear,
      settings,
      items.map((item) => plannedVisitOf(withoutKeys<Visit>(item))),
    );
  }

  /** Writes the settings on the version read; a concurrent write makes the use case read again. */
  async commit(decision: Decision<PlanSettingsState>, context: WriteContext): Promise<void> {
    const { fiscalYear, ...settings } = decision.state;
    const expected = decision.expectedVersion;
    const condition =
      expected === null
        ? { expression: "attribute_not_exists(pk)" }
        : expected === 0
          ? { expression: "attribute_exists(pk) AND attribute_not_exists(version)" }
          : { expression: "version = :expected", values: { ":expected": expected } };
    await new Transaction(this.tableName, context)
      .put(
        { ...planKey(fiscalYear), ...settings },
        { ...condition, onFailed: () => new VersionConflict(`plan ${fiscalYear} changed since it was read`) },
      )
      .audit(decision.audit)
      .publishAll(decision.events)
      .commit(this.client);
  }
}
