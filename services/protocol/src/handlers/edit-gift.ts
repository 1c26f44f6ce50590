import { httpHandler, optionalIfMatch, writeContextOf } from "@cdp/lambda-kit";
import { editGift } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

export const handler = httpHandler(
  editGift,
  async (request) => {
    const gift = await records.editGift(
      request.params.id,
      request.body,
      optionalIfMatch(request.headers),
      writeContextOf(request),
    );
    return versioned(200, gift);
  },
  options,
);
