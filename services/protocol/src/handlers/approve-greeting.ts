import { httpHandler, optionalIfMatch, writeContextOf } from "@cdp/lambda-kit";
import { approveGreeting } from "../api.ts";
import { options, records, versioned } from "./records-shared.ts";

/** Approves the text; on the national day itself the greeting is released at once (status `released`). */
export const handler = httpHandler(
  approveGreeting,
  async (request) => {
    const greeting = await records.approveGreeting(
      request.params.id,
      optionalIfMatch(request.headers),
      writeContextOf(request),
    );
    return versioned(200, greeting);
  },
  options,
);
