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
import { concludeAgreement, recordVisit, SUPERSEDES_OWN_AGREEMENT } from "./exchanges.ts";
import type { AgreementInput } from "./model.ts";

const record = (state: ReturnType<typeof collection> | undefined, v: ReturnType<typeof visit>) =>
  recordVisit(state, { partnerId: "hanoi", visit: v }, NOW);

const agreementInput = (type: AgreementInput["type"], signedOn: string, extra: Partial<AgreementInput> = {}) => ({
  type,
  title: { ja: "覚書", en: "MOU" },
  signedOn,
  areas: [],
  responsibleDepartments: { tokyo: [], partner: [] },
  legallyBinding: false,
  authenticLanguages: ["ja", "en"],
  ...extra,
});

const conclude = (state: ReturnType<typeof collection> | undefined, input: AgreementInput) =>
  concludeAgreement(state, { partnerId: "hanoi", agreementId: "a-new", input }, NOW);

describe("recording a completed visit", () => {
  it("refuses an unknown partner as not found (the consumer skips it)", () => {
    expect(refusalOf(record(undefined, visit("v1", "outbound", "2026-01-12")))).toEqual({
      kind: "not-found",
      what: "Partner hanoi",
    });
  });

  it("refuses a visit already recorded as a conflict naming its state, whatever brought it again", () => {
    const state = collection({ visits: [visit("v1", "outbound", "2026-01-12")] });
    expect(refusalOf(record(state, visit("v1", "outbound", "2026-01-12")))).toMatchObject({
      kind: "conflict",
      currentState: "recorded",
      facts: { partnerId: "hanoi", visitId: "v1" },
    });
  });

  it("records a visit one way only: the relation stays as it was, nothing is announced", () => {
    const decision = decisionOf(record(collection(), visit("v1", "outbound", "2026-01-12")));
    expect(decision.state).toMatchObject({ relation: { status: "prospect" }, established: null, version: 4 });
    expect(decision.expectedVersion).toBe(3);
    expect(decision.visit).toMatchObject({ visitId: "v1", recordedAt: NOW.toISOString() });
    expect(decision.events).toEqual([]);
    expect(decision.establishedIndex).toBeNull();
    expect(decision.audit).toEqual({
      entity: "partner#hanoi",
      action: "visit.recorded",
      beforeVersion: 3,
      afterVersion: 4,
    });
  });

  it("establishes on reciprocal head-level visits, on the later end date, and announces it", () => {
    const state = collection({ visits: [visit("out", "outbound", "2026-01-12")] });
    const decision = decisionOf(record(state, visit("in", "inbound", "2026-03-03")));
    expect(decision.state.relation).toEqual({ status: "established", since: "2026-03-03" });
    expect(decision.state.established).toEqual({ on: "2026-03-03", basis: "reciprocal-visits" });
    expect(decision.establishedIndex).toEqual({ partnerId: "hanoi", on: "2026-03-03", basis: "reciprocal-visits" });
    expect(published(decision.events)).toEqual([
      {
        type: "RelationEstablished.v1",
        detail: { partnerId: "hanoi", establishedOn: "2026-03-03", basis: "reciprocal-visits" },
      },
    ]);
  });

  it("establishes an engaging relation too, but not on a deputy's visit", () => {
    const engaging = partner({ relation: { status: "engaging", since: "2025-01-01" } });
    const state = collection({ partner: engaging, visits: [visit("out", "outbound", "2026-01-12")] });
    const deputy = decisionOf(record(state, visit("in", "inbound", "2026-03-03", "deputy")));
    expect(deputy.state.relation.status).toBe("engaging");
    expect(deputy.events).toEqual([]);
    const head = decisionOf(record(state, visit("in", "inbound", "2026-03-03")));
    expect(head.state.relation).toEqual({ status: "established", since: "2026-03-03" });
  });

  it("keeps the agreement as the basis when the agreement came first", () => {
    const established = partner({
      relation: { status: "established", since: "2015-06-10" },
      established: { on: "2015-06-10", basis: "agreement" },
    });
    const state = collection({
      partner: established,
      agreements: [agreement("a1", "policy-cooperation", "2015-06-10")],
      visits: [visit("out", "outbound", "2026-01-12")],
    });
    const decision = decisionOf(record(state, visit("in", "inbound", "2026-03-03")));
    expect(decision.state.established).toEqual({ on: "2015-06-10", basis: "agreement" });
    expect(decision.state.relation).toEqual({ status: "established", since: "2015-06-10" });
    expect(decision.establishedIndex).toBeNull();
    expect(decision.events).toEqual([]);
  });

  it("moves the day earlier when reciprocal visits precede the agreement, announcing nothing again", () => {
    const established = partner({
      relation: { status: "established", since: "2026-06-01" },
      established: { on: "2026-06-01", basis: "agreement" },
    });
    const state = collection({
      partner: established,
      agreements: [agreement("a1", "joint-statement", "2026-06-01")],
      visits: [visit("out", "outbound", "2026-01-12")],
    });
    const decision = decisionOf(record(state, visit("in", "inbound", "2026-03-03")));
    expect(decision.state.established).toEqual({ on: "2026-03-03", basis: "reciprocal-visits" });
    expect(decision.establishedIndex).toEqual({ partnerId: "hanoi", on: "2026-03-03", basis: "reciprocal-visits" });
    expect(decision.events).toEqual([]);
  });

  it("names the agreement on a tie between the agreement's day and the visits' day", () => {
    const established = partner({
      relation: { status: "established", since: "2026-03-03" },
      established: { on: "2026-03-03", basis: "agreement" },
    });
    const state = collection({
      partner: established,
      agreements: [agreement("a1", "sister-friendship", "2026-03-03")],
      visits: [visit("out", "outbound", "2026-01-12")],
    });
    const decision = decisionOf(record(state, visit("in", "inbound", "2026-03-03")));
    expect(decision.state.established).toEqual({ on: "2026-03-03", basis: "agreement" });
    expect(decision.establishedIndex).toBeNull();
    expect(decision.events).toEqual([]);
  });

  it("revives a dormant relation from today, without announcing it again", () => {
    const dormant = partner({
      relation: { status: "dormant", since: "2026-01-01" },
      established: { on: "1990-10-23", basis: "agreement" },
    });
    const state = collection({ partner: dormant, agreements: [agreement("a1", "sister-friendship", "1990-10-23")] });
    const decision = decisionOf(record(state, visit("v1", "outbound", "2026-11-20", "official")));
    expect(decision.state.relation).toEqual({ status: "established", since: TODAY });
    expect(decision.state.established).toEqual({ on: "1990-10-23", basis: "agreement" });
    expect(decision.establishedIndex).toBeNull();
    expect(decision.events).toEqual([]);
  });

  it("leaves a suspended relation suspended while keeping (and announcing) the day it became concrete", () => {
    const suspended = partner({ relation: { status: "suspended", since: "2022-03-01" } });
    const state = collection({ partner: suspended, visits: [visit("out", "outbound", "2019-01-12")] });
    const decision = decisionOf(record(state, visit("in", "inbound", "2019-03-03")));
    expect(decision.state.relation).toEqual({ status: "suspended", since: "2022-03-01" });
    expect(decision.state.established).toEqual({ on: "2019-03-03", basis: "reciprocal-visits" });
    expect(published(decision.events).map((e) => e.type)).toEqual(["RelationEstablished.v1"]);
  });
});

describe("concluding an agreement", () => {
  it("refuses an unknown partner as not found", () => {
    expect(refusalOf(conclude(undefined, agreementInput("policy-cooperation", "2026-04-01")))).toEqual({
      kind: "not-found",
      what: "Partner hanoi",
    });
  });

  it("refuses to supersede an agreement the partner never concluded, naming the rule", () => {
    const state = collection({ agreements: [agreement("a1", "sister-friendship", "1990-10-23")] });
    const refusal = refusalOf(
      conclude(state, agreementInput("sister-friendship", "2026-04-01", { supersedes: "someone-elses" })),
    );
    expect(refusal).toMatchObject({
      kind: "rule-broken",
      rule: SUPERSEDES_OWN_AGREEMENT,
      facts: { supersedes: "someone-elses" },
    });
    const renewal = decisionOf(
      conclude(state, agreementInput("sister-friendship", "2026-04-01", { supersedes: "a1" })),
    );
    expect(renewal.agreement.supersedes).toBe("a1");
  });

  it("establishes a prospect on the first concrete agreement's signing day and announces both", () => {
    const decision = decisionOf(conclude(collection(), agreementInput("policy-cooperation", "2026-04-01")));
    expect(decision.agreement).toMatchObject({
      id: "a-new",
      partnerId: "hanoi",
      reviewOn: null,
      expiresOn: null,
      supersedes: null,
      createdAt: NOW.toISOString(),
    });
    expect(decision.state).toMatchObject({
      relation: { status: "established", since: "2026-04-01" },
      established: { on: "2026-04-01", basis: "agreement" },
      version: 4,
    });
    expect(decision.expectedVersion).toBe(3);
    expect(decision.establishedIndex).toEqual({ partnerId: "hanoi", on: "2026-04-01", basis: "agreement" });
    expect(published(decision.events)).toEqual([
      {
        type: "AgreementConcluded.v1",
        detail: {
          partnerId: "hanoi",
          agreementId: "a-new",
          type: "policy-cooperation",
          title: { ja: "覚書", en: "MOU" },
          signedOn: "2026-04-01",
          reviewOn: null,
        },
      },
      {
        type: "RelationEstablished.v1",
        detail: { partnerId: "hanoi", establishedOn: "2026-04-01", basis: "agreement" },
      },
    ]);
    expect(decision.audit).toEqual({
      entity: "agreement#a-new",
      action: "agreement.concluded",
      beforeVersion: null,
      afterVersion: 1,
    });
  });

  it("does not establish on an 'other' agreement", () => {
    const decision = decisionOf(conclude(collection(), agreementInput("other", "2026-04-01")));
    expect(decision.state.relation.status).toBe("prospect");
    expect(decision.establishedIndex).toBeNull();
    expect(published(decision.events).map((e) => e.type)).toEqual(["AgreementConcluded.v1"]);
  });

  it("announces the relation the first time only: an earlier agreement moves the day, not the event", () => {
    const first = decisionOf(conclude(collection(), agreementInput("policy-cooperation", "2015-06-10")));
    const after = collection({ partner: first.state, agreements: [first.agreement] });
    const earlier = decisionOf(conclude(after, agreementInput("policy-cooperation", "2012-01-01")));
    expect(earlier.state.established).toEqual({ on: "2012-01-01", basis: "agreement" });
    expect(earlier.establishedIndex).toEqual({ partnerId: "hanoi", on: "2012-01-01", basis: "agreement" });
    expect(published(earlier.events).map((e) => e.type)).toEqual(["AgreementConcluded.v1"]);
    const later = decisionOf(conclude(after, agreementInput("joint-statement", "2020-01-01")));
    expect(later.state.established).toEqual({ on: "2015-06-10", basis: "agreement" });
    expect(later.establishedIndex).toBeNull();
    expect(published(later.events).map((e) => e.type)).toEqual(["AgreementConcluded.v1"]);
  });

  it("keeps earlier reciprocal visits as the basis, and names a same-day agreement instead on a tie", () => {
    const byVisits = partner({
      relation: { status: "established", since: "2016-06-30" },
      established: { on: "2016-06-30", basis: "reciprocal-visits" },
    });
    const state = collection({
      partner: byVisits,
      visits: [visit("o", "outbound", "2016-01-01"), visit("i", "inbound", "2016-06-30")],
    });
    const later = decisionOf(conclude(state, agreementInput("policy-cooperation", "2017-01-01")));
    expect(later.state.established).toEqual({ on: "2016-06-30", basis: "reciprocal-visits" });
    expect(later.establishedIndex).toBeNull();
    const tie = decisionOf(conclude(state, agreementInput("policy-cooperation", "2016-06-30")));
    expect(tie.state.established).toEqual({ on: "2016-06-30", basis: "agreement" });
    expect(tie.establishedIndex).toEqual({ partnerId: "hanoi", on: "2016-06-30", basis: "agreement" });
    expect(published(tie.events).map((e) => e.type)).toEqual(["AgreementConcluded.v1"]);
  });

  it("revives a dormant relation from today", () => {
    const dormant = partner({
      relation: { status: "dormant", since: "2026-01-01" },
      established: { on: "1990-10-23", basis: "agreement" },
    });
    const state = collection({ partner: dormant, agreements: [agreement("a1", "sister-friendship", "1990-10-23")] });
    const decision = decisionOf(conclude(state, agreementInput("other", "2026-11-01")));
    expect(decision.state.relation).toEqual({ status: "established", since: TODAY });
    expect(published(decision.events).map((e) => e.type)).toEqual(["AgreementConcluded.v1"]);
  });
});
