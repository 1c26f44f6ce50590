import * as z from "zod";

/**
 * The EventBridge envelope as a consumer receives it. `detail` is validated separately
 * against the contract named by `detail-type`.
 */
export const EventEnvelope = z.object({
  version: z.literal("0"),
  id: z.string().min(1),
  "detail-type": z.string().min(1),
  source: z.string().min(1),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;
