import { httpHandler } from "@cdp/lambda-kit";
import { concludeAgreement } from "../api.ts";
import { options, store, writeContext } from "./shared.ts";

export const handler = httpHandler(
  concludeAgreement,
  async (request) => {
    const agreement = await store.concludeAgreement(request.params.id, request.body, writeContext(request));
    return {
      status: 201,
      body: agreement,
      headers: { location: `/partners/${agreement.partnerId}/agreements/${agreement.id}` },
    };
  },
  options,
);
