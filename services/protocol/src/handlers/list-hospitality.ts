import { httpHandler } from "@cdp/lambda-kit";
import { listHospitality } from "../api.ts";
import { options, records } from "./records-shared.ts";

export const handler = httpHandler(
  listHospitality,
  async ({ query: { limit, cursor, ...period } }) => ({
    status: 200,
    body: await records.listHospitality(period, limit, cursor),
  }),
  options,
);
