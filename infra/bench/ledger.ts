import { startDynamoDbLocal } from "@cdp/dynamodb-local";
import { ledgerAimsLine, measureLedgerThroughput, throughputTable } from "./ledger-throughput.ts";

/**
 * `pnpm --filter @cdp/infra bench:ledger`: the fund ledger's throughput part of `pnpm bench` alone, on a
 * DynamoDB Local of its own. `LEDGER_BENCH_OPERATIONS` sets the operations per run (320 by default).
 */
const dynamo = await startDynamoDbLocal();
Object.assign(process.env, {
  AWS_REGION: "ap-northeast-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
});
try {
  const rows = await measureLedgerThroughput({
    clients: [1, 8, 32],
    operations: Number(process.env.LEDGER_BENCH_OPERATIONS ?? 320),
    programmes: 16,
  });
  console.log(`\n${throughputTable(rows)}\n${ledgerAimsLine(rows)}`);
} finally {
  await dynamo.stop();
}
