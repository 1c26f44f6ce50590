import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { Refused } from "@cdp/lambda-kit";
import { beforeAll, describe, expect, it } from "vitest";
import { accountIds, BANK, PRINCIPAL } from "../src/domain/chart.ts";
import type { Hold } from "../src/domain/model.ts";
import { latestReconciliation, reconcile } from "../src/reconciliation.ts";
import { keys } from "../src/store/layout.ts";
import { at, freshLedger, made, text } from "./fixtures.ts";

const FY = 2026;
const DAY = "2026-06-15";

async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("the fund ledger on DynamoDB Local", () => {
  let env: Awaited<ReturnType<typeof freshLedger>>;
  beforeAll(async () => {
    env = await freshLedger();
    const { ledger } = env;
    await ledger.contributeCapital({ amountYen: 8_000_000_000, description: text("opening") }, at("2026-04-01"));
    await ledger.appropriate(
      { fiscalYear: FY, programme: "staff-exchange", amountYen: 10_000_000, description: text("budget") },
      at("2026-04-01"),
    );
  });

  it("holds, posts part of a hold, and the statement, trial balance and reconciliation agree", async () => {
    const { ledger, reads } = env;
    const hold = made(
      await ledger.requestHold(
        {
          reference: "placement:a",
          programme: "staff-exchange",
          fiscalYear: FY,
          amountYen: 3_000_000,
          description: text("hold"),
        },
        at(DAY),
      ),
    ) as Hold;
    expect(hold.status).toBe("held");
    const posted = made(await ledger.postHold({ holdId: hold.id, amountYen: 2_500_000 }, at(DAY)));
    expect(posted).toMatchObject({ status: "posted", postedYen: 2_500_000, releasedYen: 500_000 });
    expect((await refusalOf(ledger.postHold({ holdId: hold.id }, at(DAY)))).kind).toBe("conflict");

    const statement = await reads.statement(FY);
    expect(statement.programmes).toContainEqual({
      programme: "staff-exchange",
      appropriatedYen: 10_000_000,
      heldYen: 0,
      spentYen: 2_500_000,
      availableYen: 7_500_000,
      releasedYen: 500_000,
      returnedYen: 0,
    });
    const trial = await reads.trialBalance();
    expect(trial.postedTotalYen).toBe(0);
    expect(trial.pendingTotalYen).toBe(0);
    const [bank] = await reads.balances([BANK]);
    expect(bank?.posted).toBe(8_000_000_000 - 2_500_000);
    const run = await reconcile(ledger.store, reads, at(DAY, "schedule"));
    expect(run.mismatches).toEqual([]);
  });

  it("refuses a hold beyond what is available, naming the rule", async () => {
    await env.ledger.requestHold(
      {
        reference: "placement:b0",
        programme: "staff-exchange",
        fiscalYear: FY,
        amountYen: 4_000_000,
        description: text("fits"),
      },
      at(DAY),
    );
    const refusal = await refusalOf(
      env.ledger.requestHold(
        {
          reference: "placement:b",
          programme: "staff-exchange",
          fiscalYear: FY,
          amountYen: 4_000_000,
          description: text("too much"),
        },
        at(DAY),
      ),
    );
    expect(refusal).toMatchObject({ kind: "rule-broken", rule: "insufficient-available" });
  });

  it("reverses an expense once, and pages an account's entries by date", async () => {
    const { ledger, reads } = env;
    const expense = made(
      await ledger.spend(
        {
          reference: "invoice:1",
          programme: "staff-exchange",
          fiscalYear: FY,
          amountYen: 100_000,
          description: text("flights"),
        },
        at(DAY),
      ),
    );
    const reversal = made(await ledger.reverse({ journalId: expense.id }, at("2026-06-16")));
    expect(reversal.reverses).toBe(expense.id);
    expect((await refusalOf(ledger.reverse({ journalId: expense.id }, at("2026-06-16")))).kind).toBe("rule-broken");
    const account = accountIds.expenses(FY, "staff-exchange");
    const first = await reads.entries(account, { limit: 1 });
    expect(first.items).toHaveLength(1);
    const rest = await reads.entries(account, { limit: 10, cursor: first.nextCursor ?? undefined });
    expect([...first.items, ...rest.items].map((e) => e.date)).toEqual([DAY, DAY, "2026-06-16"]);
    const [principal] = await reads.balances([PRINCIPAL], "2026-04-01");
    expect(principal?.posted).toBe(8_000_000_000 - 10_000_000);
  });
});

describe("the nightly reconciliation", () => {
  it("finds a balance that its entries do not explain, publishes it, shows it, and fixes nothing", async () => {
    const { ledger, reads, tableName } = await freshLedger();
    await ledger.contributeCapital({ amountYen: 1_000_000, description: text("opening") }, at("2026-04-01"));
    expect((await reconcile(ledger.store, reads, at(DAY, "schedule"))).ok).toBe(true);

    // A write that bypasses the ledger: one yen more on a shard of the bank than any entry says.
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const shard = keys.balance(BANK, 0);
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: shard,
        UpdateExpression: "ADD debitsPosted :one",
        ExpressionAttributeValues: { ":one": 1 },
      }),
    );

    // The next night's run (runs are listed by when they ran).
    const run = await reconcile(ledger.store, reads, at("2026-06-16", "schedule"));
    expect(run.ok).toBe(false);
    expect(run.mismatches).toContainEqual({
      account: BANK,
      field: "posted",
      storedYen: 1_000_001,
      fromEntriesYen: 1_000_000,
    });
    expect(await latestReconciliation(ledger.store)).toMatchObject({ runId: run.runId, ok: false });
    const { Items = [] } = await documents.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: "detailType = :t",
        ExpressionAttributeValues: { ":t": "LedgerReconciliationFailed.v1" },
      }),
    );
    expect(Items.map((item) => JSON.parse(String(item.detail)).runId)).toEqual([run.runId]);
    const [bank] = await reads.balances([BANK]);
    expect(bank?.posted).toBe(1_000_001);
  });
});
