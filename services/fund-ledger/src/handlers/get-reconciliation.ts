import { httpHandler, Refused, refuse } from "@cdp/lambda-kit";
import { getReconciliation } from "../api.ts";
import { latestReconciliation } from "../reconciliation.ts";
import { ledger, options } from "./shared.ts";

export const handler = httpHandler(
  getReconciliation,
  async () => {
    const latest = await latestReconciliation(ledger.store);
    if (!latest) throw new Refused(refuse.notFound("A reconciliation run"));
    return { status: 200, body: latest };
  },
  options,
);
