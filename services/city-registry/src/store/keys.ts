import type { Category, CooperationArea, RelationStatus } from "../domain/model.ts";

/**
 * Single-table layout. A partner's item collection (pk `PARTNER#<id>`) holds the partner, its
 * agreements, recorded visits, project links and index items, so one Query loads all of it.
 *
 * | item                | pk                | sk                          | gsi1pk / gsi1sk                    | gsi2pk / gsi2sk                 |
 * |---------------------|-------------------|-----------------------------|------------------------------------|---------------------------------|
 * | partner             | PARTNER#<id>      | PARTNER                     |                                    |                                 |
 * | partner facet copy  | PARTNER#<id>      | FACET#<facet>               | P#<facet> / <id>                   | P#<facet> / <inverted score>#<id> |
 * | established index   | PARTNER#<id>      | ESTABLISHED                 | ESTABLISHED / <date>#<id>          |                                 |
 * | agreement           | PARTNER#<id>      | AGREEMENT#<signedOn>#<aid>  | AGREEMENTS / <signedOn>#<id>#<aid> | AGREEMENT_REVIEW / <reviewOn>#… |
 * | recorded visit      | PARTNER#<id>      | VISIT#<visitId>             |                                    |                                 |
 * | project link        | PARTNER#<id>      | PROJECT#<projectId>         |                                    |                                 |
 * | project             | PROJECT#<pid>     | PROJECT                     | PROJECTS / <startDate>#<pid>       |                                 |
 *
 * Facet copies let every list filter be a Query on one index: a partner is copied under `all`,
 * its status, its country, each category and each area; further filters are filter expressions.
 */
export const partnerPk = (id: string) => `PARTNER#${id}`;
export const partnerKey = (id: string) => ({ pk: partnerPk(id), sk: "PARTNER" });
export const PARTNER_FACET_PREFIX = "P#";
export const establishedKey = (id: string) => ({ pk: partnerPk(id), sk: "ESTABLISHED" });
export const agreementSk = (signedOn: string, agreementId: string) => `AGREEMENT#${signedOn}#${agreementId}`;
export const visitKey = (partnerId: string, visitId: string) => ({ pk: partnerPk(partnerId), sk: `VISIT#${visitId}` });
export const callKey = (partnerId: string, callId: string) => ({ pk: partnerPk(partnerId), sk: `CALL#${callId}` });
export const projectKey = (id: string) => ({ pk: `PROJECT#${id}`, sk: "PROJECT" });
export const projectLinkKey = (partnerId: string, projectId: string) => ({
  pk: partnerPk(partnerId),
  sk: `PROJECT#${projectId}`,
});

export const ESTABLISHED_INDEX = "ESTABLISHED";
export const AGREEMENTS_INDEX = "AGREEMENTS";
export const AGREEMENT_REVIEW_INDEX = "AGREEMENT_REVIEW";
export const PROJECTS_INDEX = "PROJECTS";

const MAX_SCORE = 999_999;

/** Sorts descending by score on an ascending index. */
export const invertedScore = (score: number) =>
  String(MAX_SCORE - Math.min(Math.max(score, 0), MAX_SCORE)).padStart(6, "0");

export function facetsOf(partner: {
  relation: { status: RelationStatus };
  country: string;
  categories: readonly Category[];
  cooperationAreas: readonly CooperationArea[];
}): string[] {
  return [
    "all",
    `status#${partner.relation.status}`,
    `country#${partner.country}`,
    ...partner.categories.map((c) => `category#${c.type}`),
    ...partner.cooperationAreas.map((a) => `area#${a}`),
  ];
}
