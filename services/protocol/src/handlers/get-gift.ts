import { httpHandler, problems } from "@cdp/lambda-kit";
import { getGift } from "../api.ts";
import { options, records } from "./records-shared.ts";

/** The public view: no version either, since only the office's full record is changed. */
export const handler = httpHandler(
  getGift,
  async ({ params }) => {
    const gift = await records.getGift(params.id);
    if (!gift) throw problems.notFound(`Gift ${params.id}`);
    return { status: 200, body: gift };
  },
  options,
);
