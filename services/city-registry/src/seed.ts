import { Refused } from "@cdp/lambda-kit";
import { reads, store } from "./handlers/shared.ts";
import { SEED_PARTNERS } from "./seed-data.ts";

/**
 * Loads the real partners through the same store the API uses (so their events flow too).
 * Idempotent: partners that exist and agreements already recorded (same type and day) are skipped.
 */
export async function seed({ now }: { now: Date }): Promise<string> {
  const context = { actor: "seed", correlationId: `seed-${now.getTime()}`, now };
  let partners = 0;
  let agreements = 0;
  for (const { partner, agreements: toConclude } of SEED_PARTNERS) {
    try {
      await store.createPartner(partner, context);
      partners++;
    } catch (error) {
      if (!(error instanceof Refused && error.refusal.kind === "conflict")) throw error;
    }
    const existing = (await reads.listPartnerAgreements(partner.id, 100)).items;
    for (const { supersedesSignedOn, ...input } of toConclude) {
      if (existing.some((a) => a.type === input.type && a.signedOn === input.signedOn)) continue;
      const superseded = supersedesSignedOn ? existing.find((a) => a.signedOn === supersedesSignedOn) : undefined;
      const recorded = await store.concludeAgreement(
        partner.id,
        { ...input, ...(superseded && { supersedes: superseded.id }) },
        context,
      );
      existing.push(recorded);
      agreements++;
    }
  }
  return `${partners} partners and ${agreements} agreements added (${SEED_PARTNERS.length} partners in the seed)`;
}
