import { etag, httpHandler, problems } from "@cdp/lambda-kit";
import { getProgramme } from "../api.ts";
import { exchange, options } from "./shared.ts";

export const handler = httpHandler(
  getProgramme,
  async ({ params }) => {
    const programme = await exchange.programmes.get(params.id);
    if (!programme) throw problems.notFound(`Programme ${params.id}`);
    return { status: 200, body: programme, headers: { etag: etag(programme.version) } };
  },
  options,
);
