import { ledgerAimsLine, measureOnOwnDynamoDb, throughputTable } from "./ledger-throughput.ts";

/**
 * `pnpm --filter @cdp/infra bench:ledger`: the fund ledger's throughput part of `pnpm bench` alone.
 * `LEDGER_BENCH_OPERATIONS` sets the operations per run (320 by default).
 */
const rows = await measureOnOwnDynamoDb({
  clients: [1, 8, 32],
  operations: Number(process.env.LEDGER_BENCH_OPERATIONS ?? 320),
  programmes: 16,
});
console.log(`\n${throughputTable(rows)}\n${ledgerAimsLine(rows)}`);
