import { etag, httpHandler, requireIfMatch } from "@cdp/lambda-kit";
import { updatePartner } from "../api.ts";
import { options, store, writeContext } from "./shared.ts";

export const handler = httpHandler(
  updatePartner,
  async (request) => {
    const expectedVersion = requireIfMatch(request.headers);
    const partner = await store.updatePartner(request.params.id, request.body, expectedVersion, writeContext(request));
    return { status: 200, body: partner, headers: { etag: etag(partner.version) } };
  },
  options,
);
