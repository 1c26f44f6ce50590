import { describe, expect, it } from "vitest";
import {
  changeDisposition,
  DEFAULT_REGISTRATION_THRESHOLD_YEN,
  type Declaration,
  editGift,
  type Gift,
  GiftInput,
  GiftPatch,
  PRIVATE_INDIVIDUAL,
  publicGiftView,
  registerGift,
  registrationDueOn,
} from "./gifts.ts";
import {
  aDeclaration,
  aGift,
  aGiftInput,
  decisionOf,
  PRIVATE_GIVER,
  refusalOf,
  sequentialIds,
  stampAt,
  stampOn,
} from "./record-builders.ts";

const RECEIVED_ON = "2027-03-01";
/** The 30th day after March 1: the last day in time. */
const DAY_30 = "2027-03-31";
const DAY_31 = "2027-04-01";

const register = (overrides: Partial<GiftInput>, on: string, declaration?: Declaration, thresholdYen?: number) =>
  registerGift(
    aGiftInput(overrides),
    declaration,
    stampOn(on, () => "g-1"),
    thresholdYen,
  );

describe("registering a gift", () => {
  it("makes a gift at version 1, registered today, its disposition dated today, and no event", () => {
    const decision = decisionOf(register({}, "2027-03-05"));

    const { disposition, photoKey, declarationId, ...facts } = aGiftInput();
    expect(decision.state).toEqual({
      id: "g-1",
      ...facts,
      photoKey: null,
      disposition,
      dispositionChangedOn: "2027-03-05",
      registeredOn: "2027-03-05",
      registeredLate: false,
      declarationId: null,
      version: 1,
      createdAt: "2027-03-05T01:00:00.000Z",
      updatedAt: "2027-03-05T01:00:00.000Z",
    });
    expect(decision.expectedVersion).toBeNull();
    expect(decision.events).toEqual([]);
    expect(decision.declaration).toBeNull();
    expect(decision.audit).toEqual({
      entity: "gift#g-1",
      action: "gift.registered",
      beforeVersion: null,
      afterVersion: 1,
    });
  });

  it("is in time on the 30th day after receipt and late on the 31st, marked and audited so", () => {
    expect(registrationDueOn(RECEIVED_ON)).toBe(DAY_30);
    expect(decisionOf(register({}, DAY_30)).state.registeredLate).toBe(false);

    const late = decisionOf(register({}, DAY_31));
    expect(late.state.registeredLate).toBe(true);
    expect(late.audit.action).toBe("gift.registered-late");
  });

  it("holds a gift of exactly the threshold to no deadline: only above it counts", () => {
    expect(DEFAULT_REGISTRATION_THRESHOLD_YEN).toBe(50_000);
    expect(decisionOf(register({ estimatedValueYen: 50_000 }, "2027-06-01")).state.registeredLate).toBe(false);
    expect(decisionOf(register({ estimatedValueYen: 50_001 }, "2027-06-01")).state.registeredLate).toBe(true);
  });

  it("takes another threshold when configured", () => {
    expect(decisionOf(register({ estimatedValueYen: 80_000 }, DAY_31, undefined, 100_000)).state.registeredLate).toBe(
      false,
    );
    expect(decisionOf(register({ estimatedValueYen: 20_000 }, DAY_31, undefined, 10_000)).state.registeredLate).toBe(
      true,
    );
  });

  it("holds gifts given away to no deadline, and gives them no disposition", () => {
    const given = decisionOf(register({ direction: "given", disposition: undefined }, "2027-06-01")).state;
    expect(given.registeredLate).toBe(false);
    expect(given.disposition).toBeNull();
    expect(given.dispositionChangedOn).toBeNull();
  });

  it("keeps a photo stored before the gift had an id", () => {
    expect(decisionOf(register({ photoKey: "gifts/2027-03/vase.jpg" }, "2027-03-05")).state.photoKey).toBe(
      "gifts/2027-03/vase.jpg",
    );
  });

  it.each([
    ["received in the future", { date: "2027-03-06" }, "body.date"],
    ["received without a disposition", { disposition: undefined }, "body.disposition"],
    ["given with a disposition", { direction: "given" as const }, "body.disposition"],
  ])("refuses a gift %s, naming %s", (_case, overrides, path) => {
    expect(refusalOf(register(overrides, "2027-03-05"))).toMatchObject({ kind: "invalid", errors: [{ path }] });
  });

  it("refuses a private giver's name or affiliation in the published texts, ignoring case and spaces", () => {
    const fromPerson = { counterpart: PRIVATE_GIVER, counterpartLabel: { ja: "松平清姫氏", en: "Ms Matsudaira" } };
    const named = register(
      {
        ...fromPerson,
        description: { ja: "漆器", en: "Lacquer box from MATSUDAIRA  kiyohime" },
        occasion: { ja: "訪問", en: "Visit to the kiyohime lacquer atelier" },
      },
      "2027-03-05",
    );
    expect(refusalOf(named)).toMatchObject({
      kind: "invalid",
      errors: [{ path: "body.occasion" }, { path: "body.description" }],
    });
    // The register's own label may name them: the public view replaces it.
    expect(decisionOf(register(fromPerson, "2027-03-05")).state.counterpartLabel).toEqual(fromPerson.counterpartLabel);
  });
});

describe("the input schema", () => {
  const parses = (input: unknown) => GiftInput.safeParse(input).success;

  it("takes every kind of counterpart", () => {
    expect(parses(aGiftInput())).toBe(true);
    expect(parses(aGiftInput({ counterpart: { kind: "partner", partnerId: "paris" } }))).toBe(true);
    expect(parses(aGiftInput({ counterpart: PRIVATE_GIVER }))).toBe(true);
    expect(parses(aGiftInput({ counterpart: { kind: "person", name: "Someone" } }))).toBe(true);
  });

  it("refuses a patch that names no field, or a fact of the gift", () => {
    expect(GiftPatch.safeParse({}).success).toBe(false);
    expect(GiftPatch.safeParse({ estimatedValueYen: 1 }).success).toBe(false);
    expect(GiftPatch.safeParse({ photoKey: null }).success).toBe(true);
  });

  it.each([
    ["a negative value", { estimatedValueYen: -1 }],
    ["a fraction of a yen", { estimatedValueYen: 10.5 }],
    ["an unknown disposition", { disposition: "lost" }],
    ["a photo outside gifts/", { photoKey: "private/g-1/photo.jpg" }],
    ["a photo that is no image", { photoKey: "gifts/g-1/notes.txt" }],
    ["a photo key climbing out", { photoKey: "gifts/../secrets/photo.jpg" }],
    ["a mission counterpart without its id", { counterpart: { kind: "mission" } }],
    ["a person without a name", { counterpart: { kind: "person", name: " " } }],
  ])("refuses %s", (_case, override) => {
    expect(parses({ ...aGiftInput(), ...override })).toBe(false);
  });
});

describe("registering a declared receipt", () => {
  it("closes the declaration it registers, on the version read", () => {
    const declaration = aDeclaration();

    const decision = decisionOf(register({ declarationId: "d-1" }, DAY_30, declaration));

    expect(decision.state.declarationId).toBe("d-1");
    expect(decision.declaration).toEqual({
      state: { ...declaration, status: "registered", giftId: "g-1", version: 2, updatedAt: `${DAY_30}T01:00:00.000Z` },
      expectedVersion: 1,
      audit: {
        entity: "gift-declaration#d-1",
        action: "gift-declaration.registered",
        beforeVersion: 1,
        afterVersion: 2,
      },
    });
  });

  it("registers a declared receipt late after day 30 all the same", () => {
    const decision = decisionOf(register({ declarationId: "d-1" }, "2027-05-01", aDeclaration()));
    expect(decision.state.registeredLate).toBe(true);
    expect(decision.declaration?.state.status).toBe("registered");
  });

  it("refuses a declaration that is missing, registered already, of another date or for a gift given", () => {
    expect(refusalOf(register({ declarationId: "d-1" }, DAY_30))).toEqual({
      kind: "not-found",
      what: "Declaration d-1",
    });
    expect(refusalOf(register({ declarationId: "d-2" }, DAY_30, aDeclaration()))).toMatchObject({ kind: "not-found" });
    const registered = decisionOf(register({ declarationId: "d-1" }, DAY_30, aDeclaration())).declaration?.state;
    expect(refusalOf(register({ declarationId: "d-1" }, DAY_30, registered))).toMatchObject({
      kind: "conflict",
      currentState: "registered",
    });
    expect(refusalOf(register({ declarationId: "d-1", date: "2027-03-02" }, DAY_30, aDeclaration()))).toMatchObject({
      kind: "invalid",
      errors: [{ path: "body.date", message: "the declaration says received on 2027-03-01" }],
    });
    const given = { declarationId: "d-1", direction: "given" as const, disposition: undefined };
    expect(refusalOf(register(given, DAY_30, aDeclaration()))).toMatchObject({
      kind: "invalid",
      errors: [{ path: "body.direction" }],
    });
  });

  it("ignores a loaded declaration the input does not name", () => {
    expect(decisionOf(register({}, DAY_30, aDeclaration())).declaration).toBeNull();
  });
});

describe("disposition", () => {
  const at = stampOn("2027-04-10");

  it.each([
    ["on-display", "stored"],
    ["stored", "on-display"],
    ["on-display", "transferred-to-museum"],
    ["stored", "transferred-to-museum"],
  ] as const)("moves from %s to %s, dated today, one version further", (from, to) => {
    const gift = aGift({ disposition: from });

    const decision = decisionOf(changeDisposition(gift, { disposition: to, expectedVersion: 1 }, at));

    expect(decision.state).toEqual({
      ...gift,
      disposition: to,
      dispositionChangedOn: "2027-04-10",
      version: 2,
      updatedAt: at.now.toISOString(),
    });
    expect(decision.expectedVersion).toBe(1);
    expect(decision.audit).toEqual({
      entity: "gift#g-1",
      action: "gift.disposition-changed",
      beforeVersion: 1,
      afterVersion: 2,
    });
  });

  it("keeps a transfer to a museum final: a conflict naming transferred-to-museum", () => {
    const gift = decisionOf(changeDisposition(aGift(), { disposition: "transferred-to-museum" }, at)).state;

    for (const disposition of ["on-display", "stored", "transferred-to-museum"] as const) {
      expect(refusalOf(changeDisposition(gift, { disposition }, at))).toMatchObject({
        kind: "conflict",
        currentState: "transferred-to-museum",
      });
    }
  });

  it("refuses the disposition the gift has already, a stale version, a gift given away and a missing gift", () => {
    expect(refusalOf(changeDisposition(aGift(), { disposition: "on-display" }, at))).toMatchObject({
      kind: "conflict",
      currentState: "on-display",
    });
    expect(refusalOf(changeDisposition(aGift(), { disposition: "stored", expectedVersion: 2 }, at))).toEqual({
      kind: "stale",
      currentVersion: 1,
    });
    const given = aGift({ direction: "given", disposition: undefined });
    expect(refusalOf(changeDisposition(given, { disposition: "stored" }, at))).toMatchObject({ kind: "invalid" });
    expect(refusalOf(changeDisposition(undefined, { disposition: "stored" }, at))).toMatchObject({ kind: "not-found" });
  });
});

describe("editing a gift", () => {
  const at = stampAt("2027-03-20T01:00:00.000Z");

  it("adds a photo and changes the texts, keeping the facts", () => {
    const gift = aGift();
    const description = { ja: "セーヴル焼の青い花瓶", en: "A blue Sèvres porcelain vase" };

    const decision = decisionOf(
      editGift(gift, { patch: { photoKey: "gifts/g-1/photo.jpg", description }, expectedVersion: 1 }, at),
    );

    expect(decision.state).toEqual({
      ...gift,
      photoKey: "gifts/g-1/photo.jpg",
      description,
      version: 2,
      updatedAt: at.now.toISOString(),
    });
    expect(decision.audit.action).toBe("gift.edited");
  });

  it("removes the photo when given null, and keeps it when not named", () => {
    const withPhoto = aGift({ photoKey: "gifts/g-1/photo.jpg" });
    expect(decisionOf(editGift(withPhoto, { patch: { custodian: "Archives" } }, at)).state.photoKey).toBe(
      "gifts/g-1/photo.jpg",
    );
    expect(decisionOf(editGift(withPhoto, { patch: { photoKey: null } }, at)).state.photoKey).toBeNull();
  });

  it("refuses the private giver's name, a stale version and a missing gift", () => {
    const fromPerson = aGift({ counterpart: PRIVATE_GIVER });
    const description = { ja: "松平", en: `A bowl made by ${PRIVATE_GIVER.name}` };
    expect(refusalOf(editGift(fromPerson, { patch: { description } }, at))).toMatchObject({
      errors: [{ path: "body.description" }],
    });
    expect(refusalOf(editGift(aGift(), { patch: {}, expectedVersion: 5 }, at))).toMatchObject({ kind: "stale" });
    expect(refusalOf(editGift(undefined, { patch: {} }, at))).toMatchObject({ kind: "not-found" });
  });
});

describe("the public view", () => {
  const fromPerson = (): Gift =>
    aGift({
      counterpart: PRIVATE_GIVER,
      counterpartLabel: { ja: "松平清姫氏（清姫漆工房）", en: `${PRIVATE_GIVER.name}, ${PRIVATE_GIVER.affiliation}` },
    });

  it("shows a private giver as 個人 / Private individual, with no name or affiliation anywhere", () => {
    const view = publicGiftView(fromPerson());
    const json = JSON.stringify(view);

    expect(view.counterpart).toEqual({ kind: "person" });
    expect(view.counterpartLabel).toEqual(PRIVATE_INDIVIDUAL);
    expect(PRIVATE_INDIVIDUAL).toEqual({ ja: "個人", en: "Private individual" });
    for (const secret of [PRIVATE_GIVER.name, PRIVATE_GIVER.affiliation, "Matsudaira", "Kiyohime", "松平", "清姫"]) {
      expect(json).not.toContain(secret);
    }
  });

  it("keeps a mission or a partner as registered, and the gift's own facts", () => {
    const gift = aGift({ photoKey: "gifts/g-1/photo.jpg" });
    const partner = aGift({ counterpart: { kind: "partner", partnerId: "paris" } });

    expect(publicGiftView(gift)).toEqual({
      id: "g-1",
      direction: "received",
      counterpart: { kind: "mission", missionId: "embassy-of-france" },
      counterpartLabel: gift.counterpartLabel,
      occasion: gift.occasion,
      date: RECEIVED_ON,
      description: gift.description,
      estimatedValueYen: 80_000,
      photoKey: "gifts/g-1/photo.jpg",
      disposition: "on-display",
      dispositionChangedOn: RECEIVED_ON,
      registeredOn: RECEIVED_ON,
      registeredLate: false,
    });
    expect(publicGiftView(partner).counterpart).toEqual({ kind: "partner", partnerId: "paris" });
  });

  it("leaves out the custodian, the declaration and the version", () => {
    const view = publicGiftView(aGift({ custodian: "Keeper Sato, Protocol Office" }));
    expect(JSON.stringify(view)).not.toContain("Keeper Sato");
    expect(Object.keys(view)).not.toEqual(expect.arrayContaining(["custodian"]));
    expect(view).not.toHaveProperty("declarationId");
    expect(view).not.toHaveProperty("version");
  });

  it("registers several gifts with distinct ids from the stamp", () => {
    const stamp = stampOn("2027-03-05", sequentialIds("g"));
    const first = decisionOf(registerGift(aGiftInput(), undefined, stamp)).state;
    const second = decisionOf(registerGift(aGiftInput(), undefined, stamp)).state;
    expect([first.id, second.id]).toEqual(["g-1", "g-2"]);
  });
});
