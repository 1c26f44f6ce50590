import { ConferenceRegistered } from "@cdp/contracts";
import { describe, expect, it } from "vitest";
import { createConference } from "./decide-conference.ts";
import type { ConferenceInput } from "./model.ts";

const NOW = new Date("2026-11-28T01:00:00Z");
const stamp = { now: NOW, newId: () => "c-1" };
const summit: ConferenceInput = {
  name: { ja: "都市サミット", en: "Cities Summit" },
  city: { partnerId: "seoul" },
  startDate: "2027-06-01",
  endDate: "2027-06-03",
  role: "participate",
  visitIds: ["v-1", "v-2"],
};

describe("recording a conference", () => {
  it("records it as new, linking visits that exist", () => {
    const outcome = createConference(summit, new Set(["v-1", "v-2"]), stamp);
    expect(outcome).toEqual({
      ok: true,
      decision: {
        state: { ...summit, id: "c-1", bidDeadline: null, createdAt: NOW.toISOString() },
        expectedVersion: null,
        events: [
          expect.objectContaining({
            contract: ConferenceRegistered,
            detail: {
              conferenceId: "c-1",
              name: summit.name,
              city: { partnerId: "seoul" },
              startDate: "2027-06-01",
              endDate: "2027-06-03",
              role: "participate",
              bidDeadline: null,
              visitIds: ["v-1", "v-2"],
            },
          }),
        ],
        audit: { entity: "conference#c-1", action: "conference.created", beforeVersion: null, afterVersion: 1 },
      },
    });
  });

  it("refuses to link visits that do not exist, naming each", () => {
    const outcome = createConference({ ...summit, visitIds: ["v-1", "v-2", "v-3"] }, new Set(["v-2"]), stamp);
    expect(outcome).toEqual({ ok: false, refusal: { kind: "not-found", what: "Visit v-1, v-3" } });
  });
});
