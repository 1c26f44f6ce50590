import { httpHandler, optionalIfMatch, writeContextOf } from "@cdp/lambda-kit";
import { cancelHospitality } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

export const handler = httpHandler(
  cancelHospitality,
  async (request) => {
    const record = await records.cancelHospitality(
      request.params.id,
      request.body.reason,
      optionalIfMatch(request.headers),
      writeContextOf(request),
    );
    return versioned(200, record);
  },
  options,
);
