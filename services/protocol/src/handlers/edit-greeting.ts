import { httpHandler, optionalIfMatch, writeContextOf } from "@cdp/lambda-kit";
import { editGreeting } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

export const handler = httpHandler(
  editGreeting,
  async (request) => {
    const greeting = await records.editGreeting(
      request.params.id,
      request.body,
      optionalIfMatch(request.headers),
      writeContextOf(request),
    );
    return versioned(200, greeting);
  },
  options,
);
