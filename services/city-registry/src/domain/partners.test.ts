import { describe, expect, it } from "vitest";
import { collection, decisionOf, NOW, partner, published, refusalOf } from "../../test/domain-fixtures.ts";
import type { PartnerInput } from "./model.ts";
import { registerPartner, updatePartner } from "./partners.ts";
import { createProject } from "./projects.ts";

const input: PartnerInput = {
  id: "hanoi",
  name: { ja: "ハノイ市", en: "Hanoi" },
  kind: "city",
  country: "VN",
  worldRegion: "southeast-asia",
  categories: [{ type: "asian-major-city" }],
  cooperationAreas: ["waterworks"],
  contacts: [
    { name: { ja: "担当", en: "Officer" }, role: "International", email: "intl@example.org", preferredLanguage: "en" },
  ],
};

describe("registering a partner", () => {
  it("starts a prospect from today (Tokyo), scores it and announces it with its contacts", () => {
    const decision = decisionOf(registerPartner(undefined, input, new Date("2026-11-28T15:30:00Z")));
    expect(decision.state).toMatchObject({
      relation: { status: "prospect", since: "2026-11-29" },
      established: null,
      priorityScore: 35,
      version: 1,
    });
    expect(decision.expectedVersion).toBeNull();
    expect(published(decision.events)).toEqual([
      {
        type: "PartnerRegistered.v1",
        detail: {
          partnerId: "hanoi",
          name: input.name,
          kind: "city",
          country: "VN",
          status: "prospect",
          contacts: input.contacts,
          version: 1,
        },
      },
    ]);
    expect(decision.audit).toEqual({
      entity: "partner#hanoi",
      action: "partner.registered",
      beforeVersion: null,
      afterVersion: 1,
    });
  });

  it("keeps the relation the writer gives", () => {
    const engaging = { ...input, relation: { status: "engaging" as const, since: "2026-01-01" } };
    expect(decisionOf(registerPartner(undefined, engaging, NOW)).state.relation).toEqual(engaging.relation);
  });

  it("refuses an id that exists as a conflict naming the existing relation's status", () => {
    const existing = partner({ relation: { status: "engaging", since: "2025-01-01" } });
    expect(refusalOf(registerPartner(existing, input, NOW))).toEqual({
      kind: "conflict",
      detail: "A partner with the id hanoi exists",
      currentState: "engaging",
      facts: { partnerId: "hanoi" },
    });
  });
});

describe("updating a partner", () => {
  const update = (expectedVersion: number, state = collection()) =>
    updatePartner(
      state,
      { partnerId: "hanoi", patch: { cooperationAreas: ["sport", "culture"] }, expectedVersion },
      NOW,
    );

  it("refuses an unknown partner as not found", () => {
    expect(
      refusalOf(updatePartner(undefined, { partnerId: "hanoi", patch: { kind: "state" }, expectedVersion: 1 }, NOW)),
    ).toEqual({ kind: "not-found", what: "Partner hanoi" });
  });

  it("refuses a stale version, naming the current one", () => {
    expect(refusalOf(update(2))).toEqual({ kind: "stale", currentVersion: 3 });
  });

  it("applies the patch to the version read, rescoring and announcing the new snapshot", () => {
    const decision = decisionOf(update(3));
    expect(decision.state).toMatchObject({
      cooperationAreas: ["sport", "culture"],
      priorityScore: 10,
      version: 4,
      updatedAt: NOW.toISOString(),
    });
    expect(decision.expectedVersion).toBe(3);
    expect(published(decision.events)).toEqual([
      {
        type: "PartnerUpdated.v1",
        detail: expect.objectContaining({ partnerId: "hanoi", status: "prospect", contacts: [], version: 4 }),
      },
    ]);
    expect(decision.audit).toEqual({
      entity: "partner#hanoi",
      action: "partner.updated",
      beforeVersion: 3,
      afterVersion: 4,
    });
  });
});

describe("creating a multilateral project", () => {
  const project = {
    title: { ja: "アジア水道協力", en: "Asian waterworks cooperation" },
    area: "waterworks" as const,
    partnerIds: ["hanoi", "jakarta", "atlantis", "lemuria"],
    startDate: "2026-05-01",
    status: "planned" as const,
  };

  it("names every unknown partner", () => {
    const known = new Set(["hanoi", "jakarta"]);
    expect(refusalOf(createProject(known, { projectId: "p1", input: project }, NOW))).toEqual({
      kind: "not-found",
      what: "Partner atlantis, lemuria",
    });
  });

  it("records a project of known partners, with no end date unless given", () => {
    const known = new Set(project.partnerIds);
    const decision = decisionOf(createProject(known, { projectId: "p1", input: project }, NOW));
    expect(decision.state).toEqual({ ...project, id: "p1", endDate: null, createdAt: NOW.toISOString() });
    expect(decision.expectedVersion).toBeNull();
    expect(decision.events).toEqual([]);
    expect(decision.audit).toEqual({
      entity: "project#p1",
      action: "project.created",
      beforeVersion: null,
      afterVersion: 1,
    });
  });
});
