import { httpHandler } from "@cdp/lambda-kit";
import { getHospitalitySpending } from "../api.ts";
import { toPublicCsv, toPublicJson } from "../domain/hospitality-list.ts";
import { options, records } from "./records-shared.ts";

/** The month's public list: JSON, or the same list as a CSV file for a spreadsheet (`format=csv`). */
export const handler = httpHandler(
  getHospitalitySpending,
  async ({ params: { month }, query: { format } }) => {
    const list = await records.hospitalitySpending(month);
    if (format === "json") return { status: 200, body: toPublicJson(list) };
    return {
      status: 200,
      text: { contentType: "text/csv; charset=utf-8", content: toPublicCsv(list) },
      headers: { "content-disposition": `attachment; filename="hospitality-${month}.csv"` },
    };
  },
  options,
);
