import { httpHandler, writeContextOf } from "@cdp/lambda-kit";
import { recordHospitality } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

export const handler = httpHandler(
  recordHospitality,
  async (request) => {
    const record = await records.recordHospitality(request.body, writeContextOf(request));
    return versioned(201, record, `/hospitality/${record.id}`);
  },
  options,
);
