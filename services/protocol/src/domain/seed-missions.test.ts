import { describe, expect, it } from "vitest";
import { decisionOf, stampAt } from "./call-builders.ts";
import { MissionInput, nationalDayIn, registerMission } from "./missions.ts";
import { PARTNER_COUNTRIES_NOT_SEEDED, SEED_MISSIONS } from "./seed-missions.ts";

/*
 * What the seed holds of itself. That its partners are the City Registry's seed partners, each of its embassy's
 * country, is checked where services may be read together: infra/test/seed-consistency.test.ts.
 */

describe("the seeded missions", () => {
  it("each parse as a mission's input, unchanged", () => {
    for (const mission of SEED_MISSIONS) expect(MissionInput.parse(mission)).toEqual(mission);
  });

  it("are one embassy per country, named embassy-<country>", () => {
    const countries = SEED_MISSIONS.map((mission) => mission.country);
    expect(new Set(countries).size).toBe(SEED_MISSIONS.length);
    for (const mission of SEED_MISSIONS) {
      expect(mission.kind).toBe("embassy");
      expect(mission.id).toBe(`embassy-${mission.country.toLowerCase()}`);
    }
  });

  it("invent no people, addresses or contacts", () => {
    for (const mission of SEED_MISSIONS) {
      expect(mission.headOfMission).toBeUndefined();
      expect(mission.address).toBeUndefined();
      expect(mission.contacts).toEqual([]);
    }
  });

  it("relate to partners each named once, and to none of a country left out", () => {
    for (const mission of SEED_MISSIONS) expect(new Set(mission.partnerIds).size).toBe(mission.partnerIds.length);
    const countries = new Set(SEED_MISSIONS.map((mission) => mission.country));
    expect(PARTNER_COUNTRIES_NOT_SEEDED.filter((country) => countries.has(country))).toEqual([]);
  });

  it("give each a national day, the United Kingdom's with no date invented", () => {
    const byCountry = new Map(SEED_MISSIONS.map((mission) => [mission.country, mission]));
    expect(SEED_MISSIONS.every((mission) => mission.nationalDay !== undefined)).toBe(true);
    const gb = decisionOf(registerMission(null, MissionInput.parse(byCountry.get("GB")), stampAt())).state;
    expect(gb.nationalDay).toMatchObject({ kind: "per-year", dates: {} });
    expect(nationalDayIn(gb, 2027)).toBeNull();
    const us = decisionOf(registerMission(null, MissionInput.parse(byCountry.get("US")), stampAt())).state;
    expect(nationalDayIn(us, 2027)).toBe("2027-07-04");
    expect(
      nationalDayIn(decisionOf(registerMission(null, MissionInput.parse(byCountry.get("FR")), stampAt())).state, 2027),
    ).toBe("2027-07-14");
  });
});
