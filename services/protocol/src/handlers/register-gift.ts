import { httpHandler, writeContextOf } from "@cdp/lambda-kit";
import { registerGift } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

export const handler = httpHandler(
  registerGift,
  async (request) => {
    const gift = await records.registerGift(request.body, writeContextOf(request));
    return versioned(201, gift, `/gifts/${gift.id}`);
  },
  options,
);
