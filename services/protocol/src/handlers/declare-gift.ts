import { httpHandler, writeContextOf } from "@cdp/lambda-kit";
import { declareGift } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

export const handler = httpHandler(
  declareGift,
  async (request) => versioned(201, await records.declareGift(request.body, writeContextOf(request))),
  options,
);
