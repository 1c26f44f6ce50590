import { BilingualText, IsoDate, PartnerId } from "@cdp/contracts";
import * as z from "zod/mini";

export const TargetsProgressSchema = z.object({
  asOf: IsoDate,
  count: z.int(),
  partners: z.array(z.object({ partnerId: PartnerId, on: IsoDate })),
  milestones: z.array(
    z.object({
      name: z.string(),
      label: BilingualText,
      target: z.int(),
      deadline: IsoDate,
      count: z.int(),
      met: z.boolean(),
      final: z.boolean(),
    }),
  ),
});
