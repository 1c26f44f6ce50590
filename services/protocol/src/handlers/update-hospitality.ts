import { httpHandler, optionalIfMatch, writeContextOf } from "@cdp/lambda-kit";
import { updateHospitality } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

export const handler = httpHandler(
  updateHospitality,
  async (request) => {
    const record = await records.updateHospitality(
      request.params.id,
      request.body,
      optionalIfMatch(request.headers),
      writeContextOf(request),
    );
    return versioned(200, record);
  },
  options,
);
