import type { VisitNoticeDetail } from "@cdp/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aCall, aSlot, aSpell, aVisit } from "./call-builders.ts";
import {
  type AbroadCalendar,
  applyVisitApproved,
  applyVisitCancelled,
  applyVisitConfirmed,
  daysTouched,
  governorTimeRefusal,
  NO_TIME_ABROAD,
  tokyoDateTime,
} from "./governor-time.ts";

/** The default call, 10:00 to 10:30 on 2027-03-01 in Tokyo, at another time. */
const callAt = (startsAt: string, durationMinutes = 30) => aCall({ startsAt, durationMinutes });
const TRIP = aSpell({ visitId: "v-123", startDate: "2027-03-01", endDate: "2027-03-05" });

describe("the days a call touches", () => {
  it("is the call's date in Tokyo", () => {
    expect(daysTouched(callAt("2027-03-01T10:00:00+09:00"))).toEqual(["2027-03-01"]);
  });

  it("reads a time given in UTC in Tokyo: 15:30Z is 00:30 the next day", () => {
    expect(daysTouched(callAt("2027-02-28T15:30:00Z"))).toEqual(["2027-03-01"]);
  });

  it("is both dates for a call crossing midnight", () => {
    expect(daysTouched(callAt("2027-02-28T23:30:00+09:00", 60))).toEqual(["2027-02-28", "2027-03-01"]);
  });

  it("is one date for a call ending at midnight: its end is not part of it", () => {
    expect(daysTouched(callAt("2027-02-28T23:30:00+09:00", 30))).toEqual(["2027-02-28"]);
  });
});

describe("an instant in Tokyo time", () => {
  it("is written with Tokyo's offset, milliseconds only when there are some", () => {
    expect(tokyoDateTime(Date.parse("2027-02-28T15:30:00Z"))).toBe("2027-03-01T00:30:00+09:00");
    expect(tokyoDateTime(Date.parse("2027-02-28T15:30:00.250Z"))).toBe("2027-03-01T00:30:00.250+09:00");
  });
});

describe("the governor's time for a call", () => {
  const call = callAt("2027-03-10T10:00:00+09:00");
  const busyWith = (...others: ReturnType<typeof aSlot>[]) => governorTimeRefusal(call, others, []);

  it("is free when nothing else holds it", () => {
    expect(governorTimeRefusal(call, [], [])).toBeNull();
  });

  it("is refused when another call on the governor overlaps, naming that call and its time", () => {
    expect(busyWith(aSlot({ id: "call-7", startsAt: "2027-03-10T10:15:00+09:00", durationMinutes: 30 }))).toEqual({
      kind: "rule-broken",
      rule: "governor-calendar",
      detail:
        "The governor has courtesy call call-7 from 2027-03-10T10:15:00+09:00 to 2027-03-10T10:45:00+09:00, which overlaps this call",
      facts: {
        heldBy: {
          kind: "call",
          callId: "call-7",
          startsAt: "2027-03-10T10:15:00+09:00",
          endsAt: "2027-03-10T10:45:00+09:00",
        },
      },
    });
  });

  it.each([
    ["starts before and ends within", "2027-03-10T09:45:00+09:00", 30],
    ["holds it all", "2027-03-10T09:00:00+09:00", 180],
    ["lies within it", "2027-03-10T10:10:00+09:00", 10],
    ["is at the same time", "2027-03-10T10:00:00+09:00", 30],
    ["is the same time given in UTC", "2027-03-10T01:00:00Z", 30],
  ])("is refused when another call %s", (_case, startsAt, durationMinutes) => {
    expect(busyWith(aSlot({ startsAt, durationMinutes }))?.kind).toBe("rule-broken");
  });

  it("is free when another call ends as it starts, or starts as it ends", () => {
    expect(busyWith(aSlot({ startsAt: "2027-03-10T09:30:00+09:00", durationMinutes: 30 }))).toBeNull();
    expect(busyWith(aSlot({ startsAt: "2027-03-10T10:30:00+09:00", durationMinutes: 30 }))).toBeNull();
  });

  it("is not held by a cancelled call, nor by a vice-governor's; a completed call did hold it", () => {
    const sameTime = { startsAt: "2027-03-10T10:00:00+09:00" };
    expect(busyWith(aSlot({ ...sameTime, status: "cancelled" }))).toBeNull();
    expect(busyWith(aSlot({ ...sameTime, host: "vice-governor" }))).toBeNull();
    expect(busyWith(aSlot({ ...sameTime, status: "completed" }))?.kind).toBe("rule-broken");
  });

  it("is not held by the call itself: a call may move within its own slot", () => {
    const moved = { ...call, startsAt: "2027-03-10T10:15:00+09:00" };
    expect(governorTimeRefusal(moved, [call], [])).toBeNull();
  });

  it("names the earliest of several clashing calls", () => {
    const later = aSlot({ id: "call-a", startsAt: "2027-03-10T10:20:00+09:00" });
    const earlier = aSlot({ id: "call-b", startsAt: "2027-03-10T09:50:00+09:00" });
    expect(busyWith(later, earlier)).toMatchObject({ facts: { heldBy: { callId: "call-b" } } });
  });

  it("is refused on the first and the last day the governor is abroad, naming the visit", () => {
    for (const day of ["2027-03-01", "2027-03-03", "2027-03-05"]) {
      expect(governorTimeRefusal(callAt(`${day}T10:00:00+09:00`), [], [TRIP])).toEqual({
        kind: "rule-broken",
        rule: "governor-calendar",
        detail: "The governor is abroad from 2027-03-01 to 2027-03-05 (visit v-123)",
        facts: { heldBy: { kind: "abroad", visitId: "v-123", startDate: "2027-03-01", endDate: "2027-03-05" } },
      });
    }
  });

  it("is free the day before the governor leaves and the day after the governor returns", () => {
    expect(governorTimeRefusal(callAt("2027-02-28T10:00:00+09:00"), [], [TRIP])).toBeNull();
    expect(governorTimeRefusal(callAt("2027-03-06T10:00:00+09:00"), [], [TRIP])).toBeNull();
  });

  it("is refused for a call crossing midnight into the first day abroad, free for one ending at midnight", () => {
    expect(governorTimeRefusal(callAt("2027-02-28T23:30:00+09:00", 60), [], [TRIP])?.kind).toBe("rule-broken");
    expect(governorTimeRefusal(callAt("2027-02-28T23:30:00+09:00", 30), [], [TRIP])).toBeNull();
  });

  it("names the days abroad before a clashing call: no other call could free them", () => {
    const onTrip = callAt("2027-03-02T10:00:00+09:00");
    const clash = aSlot({ startsAt: "2027-03-02T10:00:00+09:00" });
    expect(governorTimeRefusal(onTrip, [clash], [TRIP])).toMatchObject({ facts: { heldBy: { kind: "abroad" } } });
  });

  it("is not the question for a call on a vice-governor, abroad or not, busy or not", () => {
    const vice = { ...callAt("2027-03-02T10:00:00+09:00"), host: "vice-governor" as const };
    expect(governorTimeRefusal(vice, [aSlot({ startsAt: vice.startsAt })], [TRIP])).toBeNull();
  });

  it("is refused exactly when the two calls' half-open intervals share a minute", () => {
    const minuteOfDay = fc.integer({ min: 0, max: 24 * 60 - 1 });
    const duration = fc.integer({ min: 5, max: 480 });
    const at = (minute: number) => new Date(Date.parse("2027-03-10T00:00:00+09:00") + minute * 60_000).toISOString();
    fc.assert(
      fc.property(minuteOfDay, duration, minuteOfDay, duration, (start, length, otherStart, otherLength) => {
        const mine = callAt(at(start), length);
        const other = aSlot({ startsAt: at(otherStart), durationMinutes: otherLength });
        const overlaps = start < otherStart + otherLength && otherStart < start + length;
        expect(governorTimeRefusal(mine, [other], []) !== null).toBe(overlaps);
      }),
    );
  });
});

describe("the governor's days abroad", () => {
  const trip = aVisit();
  const cancellation = { ...aVisit(), reason: "Postponed", previousStatus: "approved" as const };

  it("are an approved outbound visit's days when the governor leads it", () => {
    expect(applyVisitApproved(NO_TIME_ABROAD, trip)).toEqual({ spells: [TRIP], cancelledVisitIds: [] });
  });

  it("are not taken by an inbound visit, nor by one a deputy or an official leads", () => {
    const head = trip.delegationHead;
    expect(applyVisitApproved(NO_TIME_ABROAD, aVisit({ direction: "inbound" }))).toEqual(NO_TIME_ABROAD);
    for (const level of ["deputy", "official"] as const) {
      expect(applyVisitApproved(NO_TIME_ABROAD, aVisit({ delegationHead: { ...head, level } }))).toEqual(
        NO_TIME_ABROAD,
      );
    }
  });

  it("stay as they are when the visit is confirmed, or an event arrives twice", () => {
    const approved = applyVisitApproved(NO_TIME_ABROAD, trip);
    expect(applyVisitConfirmed(approved, trip)).toEqual(approved);
    expect(applyVisitApproved(approved, trip)).toEqual(approved);
    expect(applyVisitConfirmed(NO_TIME_ABROAD, trip)).toEqual(approved);
  });

  it("are freed when the visit is cancelled, and its id kept", () => {
    const approved = applyVisitApproved(NO_TIME_ABROAD, trip);
    expect(applyVisitCancelled(approved, cancellation)).toEqual({ spells: [], cancelledVisitIds: ["v-123"] });
  });

  it("are not taken by an approval arriving after the cancellation", () => {
    const cancelledFirst = applyVisitCancelled(NO_TIME_ABROAD, cancellation);
    expect(applyVisitApproved(cancelledFirst, trip)).toEqual({ spells: [], cancelledVisitIds: ["v-123"] });
    expect(applyVisitConfirmed(cancelledFirst, trip)).toEqual(cancelledFirst);
  });

  it("keep no tombstone for a visit that never takes the governor abroad", () => {
    expect(applyVisitCancelled(NO_TIME_ABROAD, { ...cancellation, direction: "inbound" })).toEqual(NO_TIME_ABROAD);
  });

  it("are listed by first day, whatever the order they were learnt in", () => {
    const early = aVisit({ visitId: "v-9", startDate: "2027-01-10", endDate: "2027-01-12" });
    const calendar = applyVisitApproved(applyVisitApproved(NO_TIME_ABROAD, trip), early);
    expect(calendar.spells.map((spell) => spell.visitId)).toEqual(["v-9", "v-123"]);
  });

  it("do not depend on the order, nor the repetition, of the visits' events", () => {
    type Notice = { kind: "approved" | "confirmed" | "cancelled"; visit: VisitNoticeDetail };
    const visit = fc.record({
      id: fc.integer({ min: 1, max: 6 }),
      direction: fc.constantFrom("outbound" as const, "inbound" as const),
      level: fc.constantFrom("head" as const, "deputy" as const),
      firstDay: fc.integer({ min: 1, max: 20 }),
      days: fc.integer({ min: 0, max: 7 }),
      kinds: fc.subarray(["approved", "confirmed", "cancelled"] as const, { minLength: 1 }),
    });
    const notices = fc.uniqueArray(visit, { selector: (v) => v.id, maxLength: 6 }).map((visits) =>
      visits.flatMap(({ id, direction, level, firstDay, days, kinds }) => {
        const detail = aVisit({
          visitId: `v-${id}`,
          direction,
          delegationHead: { ...aVisit().delegationHead, level },
          startDate: `2027-05-${String(firstDay).padStart(2, "0")}`,
          endDate: `2027-05-${String(firstDay + days).padStart(2, "0")}`,
        });
        return kinds.map((kind): Notice => ({ kind, visit: detail }));
      }),
    );
    const apply = (calendar: AbroadCalendar, { kind, visit }: Notice) =>
      kind === "cancelled"
        ? applyVisitCancelled(calendar, visit)
        : kind === "confirmed"
          ? applyVisitConfirmed(calendar, visit)
          : applyVisitApproved(calendar, visit);
    const orderings = notices.chain((inOrder) =>
      fc.tuple(fc.constant(inOrder), fc.shuffledSubarray([...inOrder, ...inOrder], { minLength: inOrder.length * 2 })),
    );
    fc.assert(
      fc.property(orderings, ([inOrder, shuffledTwice]) => {
        const expected = inOrder.reduce(apply, NO_TIME_ABROAD);
        expect(shuffledTwice.reduce(apply, NO_TIME_ABROAD)).toEqual(expected);
        const counted = inOrder.filter(
          ({ kind, visit }) =>
            kind !== "cancelled" &&
            visit.direction === "outbound" &&
            visit.delegationHead.level === "head" &&
            !inOrder.some((other) => other.kind === "cancelled" && other.visit.visitId === visit.visitId),
        );
        expect(expected.spells.map((spell) => spell.visitId).sort()).toEqual(
          [...new Set(counted.map(({ visit }) => visit.visitId))].sort(),
        );
      }),
    );
  });
});
