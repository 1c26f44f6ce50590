import { httpHandler } from "@cdp/lambda-kit";
import { getBalances } from "../api.ts";
import { accountInfo } from "../domain/chart.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  getBalances,
  async (request) => {
    const { asOf, fiscalYear } = request.query;
    const accounts = (await reads.accounts()).filter(
      (account) => fiscalYear === undefined || accountInfo(account)?.fiscalYear === fiscalYear,
    );
    return { status: 200, body: { ...(asOf && { asOf }), items: await reads.balances(accounts, asOf) } };
  },
  options,
);
