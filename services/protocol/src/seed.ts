import { Refused } from "@cdp/lambda-kit";
import { SEED_MISSIONS } from "./domain/seed-missions.ts";
import { courtesyCalls } from "./handlers/calls-shared.ts";

/**
 * Registers the seeded embassies (`SEED_MISSIONS`) through the same use case as the API. Idempotent: a
 * mission that is registered already is skipped, whatever was changed of it since.
 */
export async function seed({ now }: { now: Date }): Promise<string> {
  const context = { actor: "seed", correlationId: `seed-${now.getTime()}`, now };
  let added = 0;
  for (const input of SEED_MISSIONS) {
    try {
      await courtesyCalls.registerMission(input, context);
      added++;
    } catch (error) {
      if (!(error instanceof Refused && error.refusal.kind === "conflict")) throw error;
    }
  }
  return `${added} missions registered (${SEED_MISSIONS.length} in the seed)`;
}
