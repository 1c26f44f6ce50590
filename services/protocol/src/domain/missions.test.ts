import { describe, expect, it } from "vitest";
import { AT, aMission, aMissionInput, decisionOf, refusalOf, stampAt } from "./call-builders.ts";
import { type Mission, MissionInput, MissionPatch, nationalDayIn, registerMission, updateMission } from "./missions.ts";

const LATER = "2027-04-01T00:00:00.000Z";
const HEAD = {
  name: { ja: "ジェーン・クエールズワース", en: "Jane Quarlesworth" },
  title: { ja: "特命全権大使", en: "Ambassador Extraordinary and Plenipotentiary" },
  since: "2026-09-01",
};
const occasion = { ja: "国王公式誕生日", en: "The King's Official Birthday" };

/** The paths an input is refused at, each once. */
const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => [
  ...new Set(result.error?.issues.map((issue) => issue.path.join(".")) ?? []),
];

describe("a mission's input", () => {
  it("takes a mission with only what is certain, contacts and partners defaulting to none", () => {
    const { contacts: _c, partnerIds: _p, nationalDay: _n, ...minimal } = aMissionInput();
    expect(MissionInput.parse(minimal)).toEqual({ ...minimal, contacts: [], partnerIds: [] });
  });

  it("takes every field: address, head of mission, contacts", () => {
    const full = aMissionInput({
      kind: "consulate-general",
      address: { ja: "東京都港区", en: "Minato-ku, Tokyo" },
      headOfMission: HEAD,
      contacts: [
        {
          name: { ja: "担当 太郎", en: "Taro Tanto" },
          role: "Protocol officer",
          email: "protocol@example.org",
          preferredLanguage: "en",
        },
      ],
    });
    expect(MissionInput.parse(full)).toEqual(full);
  });

  it.each([
    ["a month that does not exist", "13-01"],
    ["a day the month does not have", "04-31"],
    ["February 30", "02-30"],
    ["a date with a year", "2027-07-04"],
  ])("refuses a fixed national day on %s", (_case, monthDay) => {
    const input = aMissionInput({ nationalDay: { kind: "fixed", monthDay, occasion } });
    expect(issuePaths(MissionInput.safeParse(input))).toEqual(["nationalDay.monthDay"]);
  });

  it("takes February 29 as a fixed day", () => {
    const input = aMissionInput({ nationalDay: { kind: "fixed", monthDay: "02-29", occasion } });
    expect(MissionInput.safeParse(input).success).toBe(true);
  });

  it("takes per-year dates each within its year, and none at all", () => {
    const dates = { "2026": "2026-06-13", "2027": "2027-06-12" };
    expect(MissionInput.safeParse(aMissionInput({ nationalDay: { kind: "per-year", dates, occasion } })).success).toBe(
      true,
    );
    expect(
      MissionInput.safeParse(aMissionInput({ nationalDay: { kind: "per-year", dates: {}, occasion } })).success,
    ).toBe(true);
  });

  it("refuses a per-year date listed under another year", () => {
    const dates = { "2027": "2028-06-10" };
    const result = MissionInput.safeParse(aMissionInput({ nationalDay: { kind: "per-year", dates, occasion } }));
    expect(issuePaths(result)).toEqual(["nationalDay.dates"]);
  });

  it("refuses a partner named twice, a country not in ISO form, an id not a slug and unknown fields", () => {
    expect(issuePaths(MissionInput.safeParse(aMissionInput({ partnerIds: ["seoul", "seoul"] })))).toEqual([
      "partnerIds.1",
    ]);
    expect(issuePaths(MissionInput.safeParse(aMissionInput({ country: "aus" })))).toEqual(["country"]);
    expect(issuePaths(MissionInput.safeParse(aMissionInput({ id: "Embassy AU" })))).toEqual(["id"]);
    expect(MissionInput.safeParse({ ...aMissionInput(), ambassador: "x" }).success).toBe(false);
  });
});

describe("a mission's patch", () => {
  it("must name a field to change", () => {
    expect(MissionPatch.safeParse({}).error?.issues[0]?.message).toBe("names no field to change");
  });

  it("cannot change the id or the country: a new country is a new mission", () => {
    expect(MissionPatch.safeParse({ country: "NZ" }).success).toBe(false);
    expect(MissionPatch.safeParse({ id: "embassy-nz" }).success).toBe(false);
  });

  it("takes null to clear the address, the head of mission and the national day", () => {
    const patch = { address: null, headOfMission: null, nationalDay: null };
    expect(MissionPatch.parse(patch)).toEqual(patch);
  });
});

describe("registering a mission", () => {
  it("makes it at version 1, the unknown left null, and publishes nothing", () => {
    const decision = decisionOf(registerMission(null, aMissionInput(), stampAt()));
    expect(decision.state).toEqual(aMission());
    expect(decision.expectedVersion).toBeNull();
    expect(decision.events).toEqual([]);
    expect(decision.audit).toEqual({
      entity: "mission#embassy-au",
      action: "mission.registered",
      beforeVersion: null,
      afterVersion: 1,
    });
  });

  it("refuses an id that is registered already, as a conflict", () => {
    expect(refusalOf(registerMission(aMission(), aMissionInput(), stampAt()))).toEqual({
      kind: "conflict",
      detail: "A mission with the id embassy-au is registered already",
      currentState: "registered",
      facts: { missionId: "embassy-au" },
    });
  });
});

describe("updating a mission", () => {
  const withHead: Mission = aMission({ headOfMission: HEAD, version: 3 });

  it("changes what the patch names, leaves the rest, and moves to the next version", () => {
    const decision = decisionOf(
      updateMission(withHead, { kind: "consulate-general", partnerIds: ["brisbane"] }, 3, stampAt(LATER)),
    );
    expect(decision.state).toEqual({
      ...withHead,
      kind: "consulate-general",
      partnerIds: ["brisbane"],
      version: 4,
      updatedAt: LATER,
    });
    expect(decision.expectedVersion).toBe(3);
    expect(decision.events).toEqual([]);
    expect(decision.audit).toEqual({
      entity: "mission#embassy-au",
      action: "mission.updated",
      beforeVersion: 3,
      afterVersion: 4,
    });
  });

  it("clears the head of mission on null and keeps it when the patch leaves it out", () => {
    expect(decisionOf(updateMission(withHead, { headOfMission: null }, 3, stampAt())).state.headOfMission).toBeNull();
    expect(decisionOf(updateMission(withHead, { name: withHead.name }, 3, stampAt())).state.headOfMission).toEqual(
      HEAD,
    );
  });

  it("applies to the current version when the caller names none", () => {
    expect(decisionOf(updateMission(withHead, { partnerIds: [] }, undefined, stampAt())).expectedVersion).toBe(3);
  });

  it("refuses a version that is not the current one as stale, naming the current one", () => {
    expect(refusalOf(updateMission(withHead, { partnerIds: [] }, 2, stampAt()))).toEqual({
      kind: "stale",
      currentVersion: 3,
    });
  });

  it("refuses a mission that does not exist", () => {
    expect(refusalOf(updateMission(null, { partnerIds: [] }, 1, stampAt()))).toEqual({
      kind: "not-found",
      what: "Mission",
    });
  });
});

describe("a mission's national day in a year", () => {
  const fixed = (monthDay: string) => aMission({ nationalDay: { kind: "fixed", monthDay, occasion } });

  it("is the fixed day in that year", () => {
    expect(nationalDayIn(fixed("01-26"), 2027)).toBe("2027-01-26");
  });

  it("keeps February 29 in leap years and moves it to February 28 in the others", () => {
    expect(nationalDayIn(fixed("02-29"), 2028)).toBe("2028-02-29");
    expect(nationalDayIn(fixed("02-29"), 2027)).toBe("2027-02-28");
    expect(nationalDayIn(fixed("02-29"), 2100)).toBe("2100-02-28");
    expect(nationalDayIn(fixed("02-29"), 2000)).toBe("2000-02-29");
  });

  it("is the date set for that year, or null while none is", () => {
    const uk = aMission({ nationalDay: { kind: "per-year", dates: { "2027": "2027-06-12" }, occasion } });
    expect(nationalDayIn(uk, 2027)).toBe("2027-06-12");
    expect(nationalDayIn(uk, 2028)).toBeNull();
  });

  it("is null for a mission with no national day", () => {
    expect(nationalDayIn(aMission({ nationalDay: null }), 2027)).toBeNull();
  });

  it("comes through registration unchanged", () => {
    const mission = decisionOf(registerMission(null, aMissionInput(), stampAt(AT.scheduled))).state;
    expect(nationalDayIn(mission, 2027)).toBe("2027-01-26");
  });
});
