import { randomUUID } from "node:crypto";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";
import { apiAs, busEvents, call, dataOf, eventBridge, eventMetadata, eventually, settled } from "./client.ts";

/**
 * The Human Resources Fund's ledger in the local cloud: the seeded year, a hold made over HTTP with an
 * Idempotency-Key and posted in part, the two-person rule, and a hold asked for by event as the staff
 * exchange will.
 */

const tokyoToday = () => new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
const fiscalYear = (() => {
  const today = tokyoToday();
  const year = Number(today.slice(0, 4));
  return Number(today.slice(5, 7)) >= 4 ? year : year - 1;
})();
const manager = () => apiAs("fund-manager");
const key = () => `e2e-${randomUUID()}`;
const hold = (reference: string, amountYen: number) => ({
  reference,
  programme: "staff-exchange",
  fiscalYear,
  amountYen,
  description: { ja: "職員派遣の旅費", en: "Travel for a staff secondment" },
});

async function staffExchangeLine() {
  const statement = dataOf(
    await apiAs("auditor").GET("/fiscal-years/{fiscalYear}/statement", { params: { path: { fiscalYear } } }),
  );
  const line = statement.programmes.find((p) => p.programme === "staff-exchange");
  if (!line) throw new Error("no staff-exchange line in the statement");
  return line;
}

describe("the fund ledger", () => {
  it("opens the year from the seed: four programmes appropriated from the ¥8 billion principal", async () => {
    const programmes = dataOf(await apiAs("auditor").GET("/programmes"));
    // Other suites add programmes of their own (the reports' test does): the seed's four are there.
    expect(programmes.items.map((p) => p.id)).toEqual(
      expect.arrayContaining(["joint-research", "scholarships", "staff-exchange", "talent-development"]),
    );
    const trial = dataOf(await apiAs("auditor").GET("/trial-balance", { params: { query: {} } }));
    expect(trial.postedTotalYen).toBe(0);
    // Other suites may have spent some of it already (a staff exchange completed): the bank and what was spent.
    const statement = dataOf(
      await apiAs("auditor").GET("/fiscal-years/{fiscalYear}/statement", { params: { path: { fiscalYear } } }),
    );
    const spentYen = statement.programmes.reduce((sum, line) => sum + line.spentYen, 0);
    const bankYen = trial.accounts.find((a) => a.account === "bank")?.postedYen ?? 0;
    expect(bankYen + spentYen).toBeGreaterThanOrEqual(8_000_000_000);
  });

  it("holds once per Idempotency-Key, posts part of the hold, and the statement and the bus show it", async () => {
    const before = await staffExchangeLine();
    const idempotencyKey = key();
    const reference = `placement:e2e-${randomUUID()}`;
    const first = await manager().POST("/holds", {
      params: { header: { "Idempotency-Key": idempotencyKey } },
      body: hold(reference, 600_000),
    });
    expect(first.response.status).toBe(201);
    const again = await manager().POST("/holds", {
      params: { header: { "Idempotency-Key": idempotencyKey } },
      body: hold(reference, 600_000),
    });
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
    const placed = dataOf(first);
    expect(dataOf(again)).toEqual(placed);
    if (!("status" in placed)) throw new Error("expected a hold");

    const posted = dataOf(
      await manager().POST("/holds/{id}/post", {
        params: { path: { id: placed.id }, header: { "Idempotency-Key": key() } },
        body: { amountYen: 450_000 },
      }),
    );
    expect(posted).toMatchObject({ status: "posted", postedYen: 450_000, releasedYen: 150_000 });
    const after = await staffExchangeLine();
    expect(after.spentYen - before.spentYen).toBe(450_000);
    expect(after.availableYen - before.availableYen).toBe(-450_000);
    await eventually(async () => {
      const events = (await busEvents("FundHoldPosted.v1")).filter((e) => e.detail.reference === reference);
      expect(events).toHaveLength(1);
    });
  });

  it("keeps a large hold waiting for a second person: the requester cannot approve it, another approver can", async () => {
    const requested = await call("POST", "/holds", {
      roles: ["fund-manager", "fund-approver"],
      headers: { "idempotency-key": key() },
      body: hold(`placement:e2e-large-${randomUUID()}`, 6_000_000),
    });
    expect(requested.status).toBe(202);
    expect(requested.body.status).toBe("awaiting-approval");
    const own = await call("POST", `/approvals/${requested.body.id}/approve`, {
      roles: ["fund-manager", "fund-approver"],
      headers: { "idempotency-key": key() },
    });
    expect(own.status).toBe(409);
    expect(own.body.rule).toBe("two-person-rule");
    const approved = dataOf(
      await apiAs("fund-approver").POST("/approvals/{id}/approve", {
        params: { path: { id: requested.body.id }, header: { "Idempotency-Key": key() } },
      }),
    );
    expect(approved.status).toBe("approved");
    const placed = dataOf(
      await apiAs("auditor").GET("/holds/{id}", { params: { path: { id: String(approved.resultId) } } }),
    );
    expect(placed).toMatchObject({ status: "held", amountYen: 6_000_000, approval: { by: "e2e-fund-approver" } });
  });

  it("places a hold asked for by event once, and says so on the bus", async () => {
    const reference = `placement:e2e-event-${randomUUID()}`;
    const detail = { ...hold(reference, 80_000), requester: "staff-exchange", metadata: eventMetadata() };
    for (const metadata of [detail.metadata, eventMetadata()]) {
      const result = await eventBridge.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: "city-diplomacy",
              Source: "tmg.fund-ledger",
              DetailType: "FundHoldRequested.v1",
              Detail: JSON.stringify({ ...detail, metadata }),
            },
          ],
        }),
      );
      expect(result.FailedEntryCount).toBe(0);
    }
    // Both deliveries finish before the count is taken: "once" is checked after the repeat, not before it.
    await settled();
    await eventually(async () => {
      const placed = (await busEvents("FundHoldPlaced.v1")).filter((e) => e.detail.reference === reference);
      expect(placed).toHaveLength(1);
      expect(placed[0]?.detail).toMatchObject({ requester: "staff-exchange", amountYen: 80_000 });
    });
  });
});
