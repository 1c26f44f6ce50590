import { httpHandler, problems } from "@cdp/lambda-kit";
import { getQuota } from "../api.ts";
import { quotaViewOf } from "../domain/placement-rules.ts";
import { exchange, options } from "./shared.ts";

export const handler = httpHandler(
  getQuota,
  async ({ params, query }) => {
    const programme = await exchange.programmes.get(params.id);
    if (!programme) throw problems.notFound(`Programme ${params.id}`);
    const [outbound, inbound] = await Promise.all([
      exchange.placements.quotaUsed(programme.id, query.fiscalYear, "outbound"),
      exchange.placements.quotaUsed(programme.id, query.fiscalYear, "inbound"),
    ]);
    return { status: 200, body: quotaViewOf(programme, query.fiscalYear, { outbound, inbound }) };
  },
  options,
);
