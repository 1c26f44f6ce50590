import { orRefuse, Refused, withRetries } from "@cdp/lambda-kit";
import { createProgramme } from "./domain/decide.ts";
import type { ProgrammeInput } from "./domain/model.ts";
import { exchange } from "./handlers/shared.ts";

/**
 * Six-month exchanges, one person each way a year, as partner cities practise them (the strategy names
 * staff exchange; Seoul, New South Wales and Berlin are partners in the registry's seed). Cost norms are
 * planning figures for estimates, editable per placement: a monthly allowance and housing, insurance, and
 * one round trip priced by distance.
 */
const sixMonthExchange = (partnerId: string, ja: string, en: string, travelYen: number): ProgrammeInput => ({
  partnerId,
  name: { ja: `${ja}との職員交流`, en: `Staff exchange with ${en}` },
  placementsPerYear: { outbound: 1, inbound: 1 },
  totalDaysPerYear: { outbound: 184, inbound: 184 },
  minDays: 10,
  maxDays: 184,
  costNorms: { monthlyAllowanceYen: 300_000, monthlyHousingYen: 150_000, monthlyInsuranceYen: 10_000, travelYen },
});

export const SEED_PROGRAMMES: readonly ProgrammeInput[] = [
  sixMonthExchange("seoul", "ソウル特別市", "Seoul", 80_000),
  sixMonthExchange("new-south-wales", "ニューサウスウェールズ州", "New South Wales", 300_000),
  sixMonthExchange("berlin", "ベルリン市", "Berlin", 300_000),
];

/**
 * Creates the programmes through the same domain and store as the API. The partners are the registry's
 * seed partners, whose copies arrive here by event after this runs: the seed vouches for them.
 * Idempotent: a programme that exists is skipped.
 */
export async function seed({ now }: { now: Date }): Promise<string> {
  const context = { actor: "seed", correlationId: `seed-${now.getTime()}`, now };
  let added = 0;
  for (const input of SEED_PROGRAMMES) {
    try {
      await withRetries(async () => {
        const existing = await exchange.programmes.get(input.partnerId);
        const decision = orRefuse(createProgramme(input, existing, { partner: true, agreement: undefined }, now));
        return exchange.programmes.commit(decision, context);
      });
      added++;
    } catch (error) {
      if (!(error instanceof Refused && error.refusal.kind === "conflict")) throw error;
    }
  }
  return `${added} exchange programmes added (${SEED_PROGRAMMES.length} in the seed)`;
}
