import { scheduledJob } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { dormancyReview } from "../manifest.ts";
import { store } from "./shared.ts";

export const handler = scheduledJob(
  dormancyReview,
  async ({ now, correlationId, log }) => {
    const dormant = await store.markDormantRelations({ actor: `schedule:${dormancyReview.name}`, correlationId, now });
    log.info("dormancy review", { markedDormant: dormant.length });
    return { markedDormant: dormant };
  },
  { serviceName: SERVICE_NAME },
);
