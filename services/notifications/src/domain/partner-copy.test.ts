import { describe, expect, it } from "vitest";
import type { PartnerCopy } from "./model.ts";
import { keepNewerCopy } from "./partner-copy.ts";

const copy = (version: number, email = `v${version}@paris.example`): PartnerCopy => ({
  partnerId: "paris",
  name: { ja: "パリ市", en: "Paris" },
  contacts: [{ name: { ja: "担当", en: "Officer" }, role: "Liaison", email, preferredLanguage: "en" }],
  version,
});

describe("keeping a partner copy", () => {
  it("keeps the first copy offered, on the condition that there is still none", () => {
    expect(keepNewerCopy(undefined, copy(2))).toEqual({ ok: true, copy: copy(2), expectedVersion: null });
  });

  it("replaces the kept copy with a newer one, on the condition that the kept one is still there", () => {
    expect(keepNewerCopy(copy(2), copy(5))).toEqual({ ok: true, copy: copy(5), expectedVersion: 2 });
  });

  it("refuses an older or equal copy as a conflict naming the version kept", () => {
    for (const offered of [copy(1), copy(3, "other@paris.example")]) {
      expect(keepNewerCopy(copy(3), offered)).toEqual({
        ok: false,
        refusal: {
          kind: "conflict",
          detail: `Partner paris: version 3 is kept already; version ${offered.version} changes nothing`,
          currentState: "version 3",
          facts: { keptVersion: 3, offeredVersion: offered.version },
        },
      });
    }
  });
});
