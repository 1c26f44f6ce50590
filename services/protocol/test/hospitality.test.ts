import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, ITEM_MAX_BYTES, itemSize, type WriteContext } from "@cdp/lambda-kit";
import { answer, httpEvent, lambdaContext, problemOfRefusal } from "@cdp/lambda-kit/testing";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { HOSPITALITY_LIMITS, HospitalityInput } from "../src/domain/hospitality.ts";
import { CSV_TOTAL_LABEL } from "../src/domain/hospitality-list.ts";
import { aHospitalityInput, readCsv } from "../src/domain/record-builders.ts";
import { table } from "../src/manifest.ts";
import { ProtocolRecords } from "../src/records.ts";

/**
 * Hospitality on DynamoDB Local, through the use cases and the spending handler: records listed by month, the
 * monthly public list as JSON and CSV, cancellation, concurrent corrections and the largest record.
 */

const tableName = `protocol-hospitality-${randomUUID()}`;
process.env[table.envVar] = tableName;
const raw = new DynamoDBClient({});
const records = new ProtocolRecords(createDocumentClient(), tableName);
const context: WriteContext = { actor: "clerk-1", correlationId: "hospitality", now: new Date("2027-06-10T01:00:00Z") };
type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let spendingHandler: Handler;

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
  // The handler module reads the table name when it is loaded: import it once the name is set.
  spendingHandler = (await import("../src/handlers/get-hospitality-spending.ts")).handler as Handler;
});

const costing = (yen: number) => ({ costYen: yen, costLines: [{ item: "catering" as const, yen }] });

async function spending(month: string, format: "json" | "csv" = "json") {
  return spendingHandler(
    httpEvent({
      path: `/hospitality-spending/${month}`,
      routeKey: "GET /hospitality-spending/{month}",
      pathParameters: { month },
      query: { format },
      groups: "[viewer]",
    }),
    lambdaContext(),
  );
}

describe("the monthly public list of the governor's hospitality", () => {
  it("lists the month's records as published, its total the sum, the CSV the same list", async () => {
    const recorded = await Promise.all([
      records.recordHospitality(aHospitalityInput({ date: "2027-03-10", ...costing(300_000) }), context),
      records.recordHospitality(aHospitalityInput({ date: "2027-03-02", ...costing(120_000) }), context),
      records.recordHospitality(
        aHospitalityInput({
          date: "2027-03-31",
          ...costing(7_777),
          counterpart: { name: { ja: "「ルリタニア」大使館", en: 'Embassy of "Ruritania", Tokyo' } },
        }),
        context,
      ),
    ]);
    // Not the governor's, or not March: not on the list.
    await records.recordHospitality(aHospitalityInput({ date: "2027-03-05", host: "vice-governor" }), context);
    await records.recordHospitality(aHospitalityInput({ date: "2027-04-01" }), context);
    await records.recordHospitality(aHospitalityInput({ date: "2027-02-28" }), context);

    const json = answer(await spending("2027-03"));
    expect(json.status).toBe(200);
    const byDate = [...recorded].sort((a, b) => a.date.localeCompare(b.date));
    expect(json.body).toEqual({
      month: "2027-03",
      rows: byDate.map((r) => ({
        date: r.date,
        occasion: r.occasion,
        counterpart: r.counterpart.name,
        amountYen: r.costYen,
      })),
      totalYen: 300_000 + 120_000 + 7_777,
      count: 3,
    });
    expect(json.body.totalYen).toBe(
      json.body.rows.reduce((sum: number, row: { amountYen: number }) => sum + row.amountYen, 0),
    );

    const csv = await spending("2027-03", "csv");
    expect(csv.headers).toMatchObject({
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="hospitality-2027-03.csv"',
    });
    const [, ...rest] = readCsv(String(csv.body));
    const rows = rest.slice(0, -1);
    expect(rows).toEqual(
      json.body.rows.map(
        (row: {
          date: string;
          occasion: { ja: string; en: string };
          counterpart: { ja: string; en: string };
          amountYen: number;
        }) => [
          row.date,
          row.occasion.ja,
          row.occasion.en,
          row.counterpart.ja,
          row.counterpart.en,
          String(row.amountYen),
        ],
      ),
    );
    expect(rest.at(-1)).toEqual([CSV_TOTAL_LABEL, "", "", "", "", String(json.body.totalYen)]);
  });

  it("publishes no guest, venue or cost line, and an empty month as an empty list", async () => {
    await records.recordHospitality(aHospitalityInput({ date: "2027-05-20" }), context);
    const published =
      JSON.stringify(answer(await spending("2027-05")).body) + String((await spending("2027-05", "csv")).body);
    const input = aHospitalityInput();
    for (const secret of [input.principalGuests[0]?.name.en, input.venue.en, input.venue.ja, "catering"]) {
      expect(published).not.toContain(secret);
    }
    expect(answer(await spending("2026-11")).body).toEqual({ month: "2026-11", rows: [], totalYen: 0, count: 0 });
  });

  it("drops a cancelled record from the list, keeps it for the office, and refuses to cancel it again", async () => {
    const kept = await records.recordHospitality(
      aHospitalityInput({ date: "2027-07-01", ...costing(100_000) }),
      context,
    );
    const dropped = await records.recordHospitality(
      aHospitalityInput({ date: "2027-07-02", ...costing(40_000) }),
      context,
    );
    expect(answer(await spending("2027-07")).body).toMatchObject({ count: 2, totalYen: 140_000 });

    const cancelled = await records.cancelHospitality(dropped.id, "Counted twice", dropped.version, context);

    expect(cancelled).toMatchObject({ status: "cancelled", cancellation: { reason: "Counted twice" }, version: 2 });
    expect(answer(await spending("2027-07")).body).toMatchObject({
      count: 1,
      totalYen: 100_000,
      rows: [{ date: kept.date }],
    });
    expect(await records.getHospitality(dropped.id)).toEqual(cancelled);
    const office = await records.listHospitality({ from: "2027-07-01", to: "2027-07-31" }, 10);
    expect(office.items.map((r) => [r.id, r.status])).toEqual([
      [kept.id, "recorded"],
      [dropped.id, "cancelled"],
    ]);
    expect(await problemOfRefusal(records.cancelHospitality(dropped.id, "again", undefined, context))).toMatchObject({
      status: 409,
    });
    expect(
      await problemOfRefusal(records.updateHospitality(dropped.id, { guestCount: 3 }, undefined, context)),
    ).toMatchObject({
      status: 409,
    });
  });

  it("moves a corrected record to the month of its new date", async () => {
    const record = await records.recordHospitality(
      aHospitalityInput({ date: "2027-08-31", ...costing(9_000) }),
      context,
    );

    await records.updateHospitality(record.id, { date: "2027-09-01" }, 1, context);

    expect(answer(await spending("2027-08")).body).toMatchObject({ count: 0 });
    expect(answer(await spending("2027-09")).body).toMatchObject({ count: 1, totalYen: 9_000 });
  });
});

describe("hospitality records", () => {
  it("lists a period by date across its months, a page at a time, and only within the period", async () => {
    const dates = ["2025-01-31", "2025-02-01", "2025-02-15", "2025-04-30", "2025-05-01"];
    const made = await Promise.all(
      dates.map((date) => records.recordHospitality(aHospitalityInput({ date }), context)),
    );

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await records.listHospitality({ from: "2025-01-15", to: "2025-04-30" }, 2, cursor);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(seen).toEqual(made.slice(0, 4).map((r) => r.id));
    const fromFeb = await records.listHospitality({ from: "2025-02-02", to: "2025-02-28" }, 10);
    expect(fromFeb.items.map((r) => r.date)).toEqual(["2025-02-15"]);
  });

  it("refuses a cursor of another period and a period of more than ten years", async () => {
    await records.recordHospitality(aHospitalityInput({ date: "2024-03-01" }), context);
    await records.recordHospitality(aHospitalityInput({ date: "2024-03-02" }), context);
    const page = await records.listHospitality({ from: "2024-03-01", to: "2024-03-31" }, 1);
    expect(page.nextCursor).not.toBeNull();

    const otherPeriod = records.listHospitality({ from: "2024-05-01", to: "2024-05-31" }, 1, page.nextCursor ?? "");
    expect(await problemOfRefusal(otherPeriod)).toMatchObject({ status: 400 });
    const decades = records.listHospitality({ from: "2000-01-01", to: "2027-12-31" }, 10);
    expect(await problemOfRefusal(decades)).toMatchObject({ status: 400 });
  });

  it("lets one of two corrections made on the same version through and tells the other to read again", async () => {
    const record = await records.recordHospitality(aHospitalityInput({ date: "2027-10-01" }), context);

    const outcomes = await Promise.allSettled([
      records.updateHospitality(record.id, { guestCount: 30 }, 1, context),
      records.updateHospitality(record.id, { guestCount: 40 }, 1, context),
    ]);

    const won = outcomes.filter((o) => o.status === "fulfilled");
    expect(won).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === "rejected");
    expect(await problemOfRefusal(Promise.reject(lost?.reason))).toMatchObject({ status: 412 });
    expect(await records.getHospitality(record.id)).toMatchObject({ version: 2 });
  });

  it("records, corrects and cancels the largest record allowed, each in one write", async () => {
    const longest = { ja: "都".repeat(500), en: "x".repeat(500) };
    const input = aHospitalityInput({
      date: "2027-11-11",
      occasion: longest,
      counterpart: {
        name: longest,
        missionId: "m".repeat(64),
        partnerIds: Array.from({ length: HOSPITALITY_LIMITS.partnerIds }, (_, n) => `${"p".repeat(60)}-${n}`),
      },
      guestCount: HOSPITALITY_LIMITS.guests,
      principalGuests: Array.from({ length: HOSPITALITY_LIMITS.principalGuests }, () => ({
        name: longest,
        title: longest,
      })),
      venue: longest,
      costYen: 20 * 1_000_000,
      costLines: Array.from({ length: HOSPITALITY_LIMITS.costLines }, () => ({
        item: "catering" as const,
        yen: 1_000_000,
      })),
    });
    expect(HospitalityInput.safeParse(input).success).toBe(true);

    const record = await records.recordHospitality(input, context);
    const corrected = await records.updateHospitality(
      record.id,
      { principalGuests: input.principalGuests },
      1,
      context,
    );
    const cancelled = await records.cancelHospitality(
      record.id,
      "都".repeat(HOSPITALITY_LIMITS.reasonLength),
      2,
      context,
    );

    expect(corrected.version).toBe(2);
    expect(cancelled.version).toBe(3);
    expect(itemSize(cancelled)).toBeLessThan(ITEM_MAX_BYTES);
    expect(await records.getHospitality(record.id)).toEqual(cancelled);
  });
});
