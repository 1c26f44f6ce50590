import { etag, httpHandler, problems } from "@cdp/lambda-kit";
import { getPartner } from "../api.ts";
import { options, store } from "./shared.ts";

export const handler = httpHandler(
  getPartner,
  async ({ params }) => {
    const partner = await store.getPartner(params.id);
    if (!partner) throw problems.notFound(`Partner ${params.id}`);
    return { status: 200, body: partner, headers: { etag: etag(partner.version) } };
  },
  options,
);
