import { httpHandler, problems } from "@cdp/lambda-kit";
import { getReport } from "../api.ts";
import { options, reports } from "./shared.ts";

export const handler = httpHandler(
  getReport,
  async ({ params }) => {
    const report = await reports.get(params.id);
    if (!report) throw problems.notFound(`Report ${params.id}`);
    return { status: 200, body: report };
  },
  options,
);
