import { BilingualText, IsoDate, PartnerId } from "@cdp/contracts";
import * as z from "zod";

export const TargetsProgressSchema = z.object({
  asOf: IsoDate,
  count: z.number().int(),
  partners: z.array(z.object({ partnerId: PartnerId, on: IsoDate })),
  milestones: z.array(
    z.object({
      name: z.string(),
      label: BilingualText,
      target: z.number().int(),
      deadline: IsoDate,
      count: z.number().int(),
      met: z.boolean(),
      final: z.boolean(),
    }),
  ),
});
