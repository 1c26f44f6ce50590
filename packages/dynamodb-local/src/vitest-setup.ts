import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "./index.ts";

/**
 * Vitest global setup for store and handler tests: one DynamoDB Local on a free port for the run,
 * found by the SDK through the standard variables, so the code under test has no test switch.
 */
export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamoDbLocal();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = dynamo.endpoint;
  process.env.AWS_REGION ??= "ap-northeast-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  return () => dynamo.stop();
}
