import { etag, httpHandler } from "@cdp/lambda-kit";
import { createPartner } from "../api.ts";
import { options, store, writeContext } from "./shared.ts";

export const handler = httpHandler(
  createPartner,
  async (request) => {
    const partner = await store.createPartner(request.body, writeContext(request));
    return {
      status: 201,
      body: partner,
      headers: { location: `/partners/${partner.id}`, etag: etag(partner.version) },
    };
  },
  options,
);
