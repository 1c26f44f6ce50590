import { httpHandler, optionalIfMatch, writeContextOf } from "@cdp/lambda-kit";
import { changeGiftDisposition } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

export const handler = httpHandler(
  changeGiftDisposition,
  async (request) => {
    const gift = await records.changeGiftDisposition(
      request.params.id,
      request.body.disposition,
      optionalIfMatch(request.headers),
      writeContextOf(request),
    );
    return versioned(200, gift);
  },
  options,
);
