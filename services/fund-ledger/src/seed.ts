import { Refused } from "@cdp/lambda-kit";
import { DEFAULT_PROGRAMMES } from "./domain/chart.ts";
import { fiscalYearOf, tokyoDate } from "./domain/fiscal-year.ts";
import { ledger, reads } from "./handlers/shared.ts";
import { addProgramme } from "./use-cases.ts";

/**
 * The fund's opening, through the same use cases as the API. The principal is the real one: about ¥2
 * billion carried over from the Asian Human Resources Fund and ¥6 billion added for city diplomacy (the
 * strategy's figures). The appropriations are illustrative, not TMG's budget: a plausible year's share
 * per programme. Idempotent: fixed keys make a second run change nothing.
 */
const PROGRAMME_NAMES: Readonly<Record<(typeof DEFAULT_PROGRAMMES)[number], { ja: string; en: string }>> = {
  scholarships: {
    ja: "首都大学東京 博士課程留学生奨学金",
    en: "Doctoral scholarships at Tokyo Metropolitan University",
  },
  "joint-research": { ja: "海外諸都市との共同研究", en: "Joint research with overseas cities" },
  "staff-exchange": { ja: "海外諸都市との職員交流", en: "Staff exchanges with partner cities" },
  "talent-development": { ja: "都市外交人材の育成", en: "Developing city-diplomacy talent" },
};

export const SEED_CAPITAL = [
  {
    key: "seed-capital-asian-fund",
    amountYen: 2_000_000_000,
    ja: "アジア人材育成基金からの承継",
    en: "Carried over from the Asian Human Resources Fund",
  },
  {
    key: "seed-capital-addition",
    amountYen: 6_000_000_000,
    ja: "都市外交人材育成基金への積立",
    en: "Added to the Human Resources Fund for City Diplomacy",
  },
] as const;

export const SEED_APPROPRIATIONS: Readonly<Record<(typeof DEFAULT_PROGRAMMES)[number], number>> = {
  scholarships: 300_000_000,
  "joint-research": 150_000_000,
  "staff-exchange": 100_000_000,
  "talent-development": 50_000_000,
};

const seedKey = <State>(key: string, state: (s: State) => unknown = () => ({})) => ({
  key,
  fingerprint: key,
  respond: (s: State) => ({ status: 201, body: state(s) }),
});

export async function seed({ now }: { now: Date }): Promise<string> {
  const context = { actor: "seed", correlationId: `seed-${now.getTime()}`, now };
  const fiscalYear = fiscalYearOf(tokyoDate(now));
  let added = 0;
  for (const id of DEFAULT_PROGRAMMES) {
    try {
      await addProgramme(ledger.store, { id, name: PROGRAMME_NAMES[id] }, context);
      added++;
    } catch (error) {
      if (!(error instanceof Refused && error.refusal.kind === "conflict")) throw error;
    }
  }
  for (const capital of SEED_CAPITAL) {
    await ledger.contributeCapital(
      { amountYen: capital.amountYen, description: { ja: capital.ja, en: capital.en }, reference: capital.key },
      context,
      seedKey(capital.key),
    );
  }
  for (const [programme, amountYen] of Object.entries(SEED_APPROPRIATIONS)) {
    await ledger.appropriate(
      {
        fiscalYear,
        programme,
        amountYen,
        description: { ja: `FY${fiscalYear} ${programme} 予算配分`, en: `FY${fiscalYear} ${programme}: budget` },
      },
      context,
      seedKey(`seed-appropriation-fy${fiscalYear}-${programme}`),
    );
  }
  const programmes = await reads.programmes();
  return `${added} programmes added (${programmes.length} in all), FY${fiscalYear} opened with ${Object.keys(SEED_APPROPRIATIONS).length} appropriations`;
}
