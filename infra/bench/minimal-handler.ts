import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/**
 * The yardstick for cold starts: the least a DynamoDB-backed HTTP function can be. One GetItem with the
 * plain client, no validation, no middleware, no logger. Every real function is compared with it.
 */
const client = new DynamoDBClient({});
const tableName = process.env.TABLE_NAME;

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const id = event.pathParameters?.id ?? "";
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: `ITEM#${id}` }, sk: { S: "ITEM" } } }),
  );
  if (!Item) return { statusCode: 404 };
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(Item) };
}
