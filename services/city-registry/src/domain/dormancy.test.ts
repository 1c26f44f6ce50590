import { describe, expect, it } from "vitest";
import {
  agreement,
  collection,
  decisionOf,
  NOW,
  partner,
  published,
  refusalOf,
  TODAY,
  visit,
} from "../../test/domain-fixtures.ts";
import { DORMANT_AFTER_24_MONTHS, markDormant } from "./dormancy.ts";
import { recordCall } from "./exchanges.ts";

const established = partner({
  relation: { status: "established", since: "1990-10-23" },
  established: { on: "1990-10-23", basis: "agreement" },
});
const friendship = agreement("a1", "sister-friendship", "1990-10-23");

describe("marking a relation dormant", () => {
  it("refuses an unknown partner as not found", () => {
    expect(refusalOf(markDormant(undefined, "hanoi", NOW))).toEqual({ kind: "not-found", what: "Partner hanoi" });
  });

  it("marks an established relation without exchange in 24 months dormant from today, and announces it", () => {
    const state = collection({
      partner: established,
      agreements: [friendship],
      visits: [visit("v", "inbound", "2024-11-27")],
    });
    const decision = decisionOf(markDormant(state, "hanoi", NOW));
    expect(decision.state).toMatchObject({ relation: { status: "dormant", since: TODAY }, version: 4 });
    expect(decision.state.established).toEqual(established.established);
    expect(decision.expectedVersion).toBe(3);
    expect(published(decision.events)).toEqual([
      { type: "RelationDormant.v1", detail: { partnerId: "hanoi", lastExchangeOn: "2024-11-27", since: TODAY } },
    ]);
    expect(decision.audit).toEqual({
      entity: "partner#hanoi",
      action: "relation.dormant",
      beforeVersion: 3,
      afterVersion: 4,
    });
  });

  it("refuses while an exchange falls within the window, the cut-off day included, naming the rule", () => {
    const onCutOff = collection({
      partner: established,
      agreements: [friendship],
      visits: [visit("v", "inbound", "2024-11-28")],
    });
    expect(refusalOf(markDormant(onCutOff, "hanoi", NOW))).toMatchObject({
      kind: "rule-broken",
      rule: DORMANT_AFTER_24_MONTHS,
      facts: { lastExchangeOn: "2024-11-28" },
    });
    const underWay = collection({
      partner: established,
      agreements: [friendship],
      projects: [
        {
          id: "p",
          title: { ja: "p", en: "p" },
          area: "culture",
          partnerIds: ["hanoi", "paris"],
          startDate: "2020-01-01",
          endDate: null,
          status: "active",
          createdAt: "2020-01-01T00:00:00.000Z",
        },
      ],
    });
    expect(refusalOf(markDormant(underWay, "hanoi", NOW))).toMatchObject({ kind: "rule-broken" });
  });

  it("refuses a relation that is not established as a conflict naming its status", () => {
    for (const status of ["prospect", "engaging", "dormant", "suspended"] as const) {
      const state = collection({ partner: partner({ relation: { status, since: "2000-01-01" } }) });
      expect(refusalOf(markDormant(state, "hanoi", NOW))).toMatchObject({ kind: "conflict", currentState: status });
    }
  });
});

describe("courtesy calls as exchanges", () => {
  const call = (callId: string, date: string) => ({ callId, date, host: "governor" as const });

  it("keeps a relation out of dormancy while a courtesy call falls within the window, and not after", () => {
    const old = { partner: established, agreements: [friendship], visits: [visit("v", "inbound", "2020-01-10")] };
    expect(
      refusalOf(markDormant(collection({ ...old, calls: [call("c1", "2024-11-28")] }), "hanoi", NOW)),
    ).toMatchObject({ kind: "rule-broken", rule: DORMANT_AFTER_24_MONTHS, facts: { lastExchangeOn: "2024-11-28" } });
    const decision = decisionOf(markDormant(collection({ ...old, calls: [call("c1", "2024-11-27")] }), "hanoi", NOW));
    expect(published(decision.events)).toEqual([
      { type: "RelationDormant.v1", detail: { partnerId: "hanoi", lastExchangeOn: "2024-11-27", since: TODAY } },
    ]);
  });

  it("records a call once per partner, revives a dormant relation from today, and never makes one concrete", () => {
    const dormant = partner({
      relation: { status: "dormant", since: "2026-01-01" },
      established: { on: "1990-10-23", basis: "agreement" },
    });
    const revived = decisionOf(
      recordCall(
        collection({ partner: dormant, agreements: [friendship] }),
        { partnerId: "hanoi", call: call("c1", TODAY) },
        NOW,
      ),
    );
    expect(revived.state.relation).toEqual({ status: "established", since: TODAY });
    expect(revived.audit.action).toBe("call.recorded");
    expect(
      refusalOf(
        recordCall(
          collection({ partner: dormant, calls: [call("c1", TODAY)] }),
          { partnerId: "hanoi", call: call("c1", TODAY) },
          NOW,
        ),
      ),
    ).toMatchObject({ kind: "conflict", currentState: "recorded" });
    // A prospect stays a prospect: a call is an exchange, not an agreement or reciprocal visits.
    const prospect = decisionOf(recordCall(collection(), { partnerId: "hanoi", call: call("c2", TODAY) }, NOW));
    expect(prospect.state.relation.status).toBe(collection().partner.relation.status);
    expect(prospect.events).toEqual([]);
    expect(refusalOf(recordCall(undefined, { partnerId: "hanoi", call: call("c3", TODAY) }, NOW))).toEqual({
      kind: "not-found",
      what: "Partner hanoi",
    });
  });
});
