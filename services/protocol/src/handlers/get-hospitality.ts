import { httpHandler, problems } from "@cdp/lambda-kit";
import { getHospitality } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

export const handler = httpHandler(
  getHospitality,
  async ({ params }) => {
    const record = await records.getHospitality(params.id);
    if (!record) throw problems.notFound(`Hospitality ${params.id}`);
    return versioned(200, record);
  },
  options,
);
