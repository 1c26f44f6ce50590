import { httpHandler } from "@cdp/lambda-kit";
import { listProgrammes } from "../api.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  listProgrammes,
  async () => ({ status: 200, body: { items: await reads.programmes() } }),
  options,
);
