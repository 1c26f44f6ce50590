import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from "./index.ts";

let dynamo: DynamoDbLocal;
beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
});
afterAll(async () => {
  await dynamo?.stop();
});

describe("DynamoDB Local", () => {
  it("starts on a free port and creates a table from a manifest's spec, twice without harm", async () => {
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: "ap-northeast-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const spec = {
      partitionKey: "pk",
      sortKey: "sk",
      indexes: [{ name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" }],
      ttlAttribute: "expiresAt",
    };
    await ensureTable(client, "spec-table", spec);
    await ensureTable(client, "spec-table", spec);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: "spec-table" }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(["gsi1"]);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" });
  });

  it("stops its Java process", async () => {
    const second = await startDynamoDbLocal();
    await second.stop();
    await expect(fetch(second.endpoint, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
  });
});
