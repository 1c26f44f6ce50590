import type { Decided, PendingEvent } from "@cdp/lambda-kit/decision";
import type { Agreement, Partner, RecordedVisit } from "../src/domain/model.ts";
import type { PartnerCollection } from "../src/domain/partners.ts";

/** Builders for the domain's unit tests: states as the store would load them. */

export const NOW = new Date("2026-11-28T01:00:00Z");
export const TODAY = "2026-11-28";

export const partner = (extra: Partial<Partner> = {}): Partner => ({
  id: "hanoi",
  name: { ja: "ハノイ市", en: "Hanoi" },
  kind: "city",
  country: "VN",
  worldRegion: "southeast-asia",
  categories: [],
  relation: { status: "prospect", since: "2020-01-01" },
  established: null,
  cooperationAreas: [],
  contacts: [],
  priorityScore: 0,
  version: 3,
  createdAt: "2020-01-01T00:00:00.000Z",
  updatedAt: "2020-01-01T00:00:00.000Z",
  ...extra,
});

export const collection = (extra: Partial<PartnerCollection> = {}): PartnerCollection => ({
  partner: partner(),
  agreements: [],
  visits: [],
  projects: [],
  calls: [],
  ...extra,
});

export const visit = (
  visitId: string,
  direction: RecordedVisit["direction"],
  endDate: string,
  leaderLevel: RecordedVisit["leaderLevel"] = "head",
): RecordedVisit => ({ visitId, direction, leaderLevel, startDate: endDate, endDate });

export const agreement = (id: string, type: Agreement["type"], signedOn: string): Agreement => ({
  id,
  partnerId: "hanoi",
  type,
  title: { ja: "覚書", en: "MOU" },
  signedOn,
  areas: [],
  responsibleDepartments: { tokyo: [], partner: [] },
  reviewOn: null,
  expiresOn: null,
  supersedes: null,
  legallyBinding: false,
  authenticLanguages: ["ja", "en"],
  createdAt: "2020-01-01T00:00:00.000Z",
});

/** The decision of an outcome that must be one; fails the test with the refusal otherwise. */
export function decisionOf<State, Extra extends object>(outcome: Decided<State, Extra>) {
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.refusal)}`);
  return outcome.decision;
}

export function refusalOf(outcome: Decided<unknown, object>) {
  if (outcome.ok) throw new Error("expected a refusal, got a decision");
  return outcome.refusal;
}

/** Events as `detail-type` and detail, the way a consumer will see them. */
export const published = (events: readonly PendingEvent[]) =>
  events.map((e) => ({ type: e.contract.detailType, detail: e.detail }));
