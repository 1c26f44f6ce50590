import * as z from "zod/mini";

const NonEmpty = z.string().check(z.minLength(1));

/**
 * The EventBridge envelope as a consumer receives it. `detail` is validated separately
 * against the contract named by `detail-type`.
 */
export const EventEnvelope = z.object({
  version: z.literal("0"),
  id: NonEmpty,
  "detail-type": NonEmpty,
  source: NonEmpty,
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;
