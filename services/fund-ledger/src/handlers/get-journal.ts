import { httpHandler, Refused, refuse } from "@cdp/lambda-kit";
import { getJournal } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  getJournal,
  async (request) => {
    const stored = await reads.journal(request.params.id);
    if (!stored) throw new Refused(refuse.notFound(`Journal ${request.params.id}`));
    const { reversedBy, ...journal } = stored;
    const audit = await reads.auditTrail(`journal/${journal.id}`);
    return { status: 200, body: { journal, ...(reversedBy && { reversedBy }), audit } };
  },
  options,
);
