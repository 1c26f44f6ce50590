import { httpHandler } from "@cdp/lambda-kit";
import { targetsProgress } from "../api.ts";
import { tokyoDate } from "../domain/dates.ts";
import { options, reads } from "./shared.ts";

export const handler = httpHandler(
  targetsProgress,
  async ({ query }) => ({ status: 200, body: await reads.targetsProgress(query.asOf ?? tokyoDate(new Date())) }),
  options,
);
