import { httpHandler, problems } from "@cdp/lambda-kit";
import { getGiftRecord } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

export const handler = httpHandler(
  getGiftRecord,
  async ({ params }) => {
    const gift = await records.getGiftRecord(params.id);
    if (!gift) throw problems.notFound(`Gift ${params.id}`);
    return versioned(200, gift);
  },
  options,
);
