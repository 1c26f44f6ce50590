import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { createDocumentClient, type WriteContext } from "@cdp/lambda-kit";
import { beforeAll, describe, expect, it } from "vitest";
import { projectAll, readerOf } from "../src/domain/changes.ts";
import { aHistory, reportFrom } from "../src/domain/history-builders.ts";
import type { ProjectionReader } from "../src/domain/progress-report.ts";
import { table } from "../src/manifest.ts";
import { projectEvent } from "../src/projector.ts";
import { ProjectionStore } from "../src/store/projection-store.ts";

/**
 * The projections in DynamoDB Local, written event by event as the consumers write them: a replay of the whole
 * history, shuffled, with duplicates, several events at once, gives the report a rebuild in memory gives.
 */

const raw = new DynamoDBClient({});
const client = createDocumentClient();
const context: WriteContext = {
  actor: "event:test",
  correlationId: "projection-test",
  now: new Date("2026-12-01T00:00:00Z"),
};
const history = aHistory({ firstFiscalYear: 2026, lastFiscalYear: 2026 });

async function freshStore(): Promise<ProjectionStore> {
  const tableName = `reports-projections-${randomUUID()}`;
  await ensureTable(raw, tableName, table);
  return new ProjectionStore(client, tableName);
}

/** Runs `work` over `items`, `parallel` at a time, as several consumers' invocations would. */
async function inParallel<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

const report = (reader: ProjectionReader) => reportFrom(reader);

describe("the projection store", () => {
  let expected: Awaited<ReturnType<typeof report>>;
  beforeAll(async () => {
    expected = await report(readerOf(projectAll(history)));
  });

  it("gives the report a rebuild gives, from events shuffled, repeated and applied eight at a time", async () => {
    const store = await freshStore();
    const replay = shuffled([...history, ...history.slice(0, 60)], 7);
    await inParallel(replay, 8, (event) => projectEvent(store, event.detailType, event.detail, context));
    expect(await report(store)).toEqual(expected);
  });

  it("adds a fund event's movements once, even when its deliveries race", async () => {
    const store = await freshStore();
    const journal = history.find((event) => event.detailType === "FundJournalPosted.v1");
    if (!journal) throw new Error("the history has no journal");
    await Promise.all(
      Array.from({ length: 5 }, () => projectEvent(store, journal.detailType, journal.detail, context)),
    );
    const [month] = await store.fundMonths(2026);
    expect(month).toMatchObject({ appropriatedYen: 50_000_000, heldYen: 0, spentYen: 0 });
  });
});
