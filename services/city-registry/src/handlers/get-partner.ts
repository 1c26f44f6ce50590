import { etag, httpHandler, Refused } from "@cdp/lambda-kit";
import { getPartner } from "../api.ts";
import { partnerNotFound } from "../domain/partners.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  getPartner,
  async ({ params }) => {
    const partner = await reads.getPartner(params.id);
    if (!partner) throw new Refused(partnerNotFound(params.id));
    return { status: 200, body: partner, headers: { etag: etag(partner.version) } };
  },
  options,
);
