import { SEED_PARTNERS } from "@cdp/city-registry/seed-data";
import { PARTNER_COUNTRIES_NOT_SEEDED, SEED_MISSIONS } from "@cdp/protocol/domain/seed-missions";
import { describe, expect, it } from "vitest";

/**
 * The services' seeds hold together: the protocol office's embassies relate to the City Registry's seed partners.
 * Checked here, where services may be read side by side: no service imports another, not even in a test.
 */

const partners = SEED_PARTNERS.map(({ partner }) => partner);
const countryOfPartner = new Map(partners.map((partner) => [partner.id, partner.country]));

describe("the protocol office's seeded missions and the registry's seed partners", () => {
  it("relate only to partners the registry's seed has, of the embassy's own country", () => {
    const relations = SEED_MISSIONS.flatMap((mission) =>
      mission.partnerIds.map((partnerId) => ({ mission: mission.id, partnerId, country: mission.country })),
    );
    expect(relations.length).toBeGreaterThan(0);
    for (const { mission, partnerId, country } of relations) {
      expect(countryOfPartner.get(partnerId), `${mission} → ${partnerId}`).toBe(country);
    }
  });

  it("relate to every seed partner of their country", () => {
    for (const mission of SEED_MISSIONS) {
      const ofCountry = partners.filter((partner) => partner.country === mission.country).map((partner) => partner.id);
      expect([...mission.partnerIds].sort(), mission.id).toEqual(ofCountry.sort());
    }
  });

  it("leave out exactly the partner countries the protocol seed says it leaves out", () => {
    const seeded = new Set(SEED_MISSIONS.map((mission) => mission.country));
    const unseeded = [...new Set(partners.map((partner) => partner.country))].filter((country) => !seeded.has(country));
    expect(unseeded.sort()).toEqual([...PARTNER_COUNTRIES_NOT_SEEDED].sort());
  });
});
