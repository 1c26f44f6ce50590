import { PartnerRegistered, PartnerUpdated } from "@cdp/contracts";
import { type Decided, decided, event, type Refusal, refuse, refused } from "@cdp/lambda-kit/decision";
import { tokyoDate } from "./dates.ts";
import type { Agreement, Partner, PartnerInput, PartnerPatch, Project, RecordedCall, RecordedVisit } from "./model.ts";
import { priorityScore } from "./priority.ts";

/** Everything the registry holds of one partner: the state every change to it is decided on. */
export interface PartnerCollection {
  readonly partner: Partner;
  readonly agreements: readonly Agreement[];
  readonly visits: readonly RecordedVisit[];
  readonly projects: readonly Project[];
  /** Courtesy calls that took place: exchanges for the dormancy review, never a basis of a relation. */
  readonly calls: readonly RecordedCall[];
}

export const partnerNotFound = (partnerId: string): Refusal => refuse.notFound(`Partner ${partnerId}`);

/** Also what a store answers when a concurrent registration of the same id won the race. */
export const alreadyRegistered = (existing: Pick<Partner, "id" | "relation">): Refusal =>
  refuse.conflict(`A partner with the id ${existing.id} exists`, existing.relation.status, { partnerId: existing.id });

/** What other services keep of a partner (the notifier its contacts): a snapshot after each change. */
const snapshot = (partner: Partner) => ({
  partnerId: partner.id,
  name: partner.name,
  kind: partner.kind,
  country: partner.country,
  status: partner.relation.status,
  contacts: partner.contacts,
  version: partner.version,
});

/** A new partner starts as a prospect from today unless the writer says how far the relation is. */
export function registerPartner(existing: Partner | undefined, input: PartnerInput, now: Date): Decided<Partner> {
  if (existing) return refused(alreadyRegistered(existing));
  const at = now.toISOString();
  const partner: Partner = {
    ...input,
    relation: input.relation ?? { status: "prospect", since: tokyoDate(now) },
    established: null,
    priorityScore: priorityScore(input, now.getUTCFullYear()),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return decided({
    state: partner,
    expectedVersion: null,
    events: [event(PartnerRegistered, snapshot(partner))],
    audit: { entity: `partner#${partner.id}`, action: "partner.registered", beforeVersion: null, afterVersion: 1 },
  });
}

export interface UpdatePartner {
  readonly partnerId: string;
  readonly patch: PartnerPatch;
  /** The version the writer read (If-Match). */
  readonly expectedVersion: number;
}

/** A change applies only to the version the writer read; the priority score follows the new facts. */
export function updatePartner(
  current: PartnerCollection | undefined,
  command: UpdatePartner,
  now: Date,
): Decided<Partner> {
  if (!current) return refused(partnerNotFound(command.partnerId));
  const before = current.partner;
  if (before.version !== command.expectedVersion) return refused(refuse.stale(before.version));
  const merged = { ...before, ...command.patch };
  const partner: Partner = {
    ...merged,
    priorityScore: priorityScore(merged, now.getUTCFullYear()),
    version: before.version + 1,
    updatedAt: now.toISOString(),
  };
  return decided({
    state: partner,
    expectedVersion: before.version,
    events: [event(PartnerUpdated, snapshot(partner))],
    audit: {
      entity: `partner#${partner.id}`,
      action: "partner.updated",
      beforeVersion: before.version,
      afterVersion: partner.version,
    },
  });
}
