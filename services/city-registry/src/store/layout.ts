import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { facetsIn, putFacetCopies, queryAll, type Transaction, withoutKeys } from "@cdp/lambda-kit";
import type { CallRecord, EstablishedEntry, VisitRecord } from "../domain/exchanges.ts";
import type { Agreement, Partner, Project, RecordedCall, RecordedVisit } from "../domain/model.ts";
import type { PartnerCollection } from "../domain/partners.ts";
import {
  AGREEMENT_REVIEW_INDEX,
  AGREEMENTS_INDEX,
  agreementSk,
  callKey,
  ESTABLISHED_INDEX,
  establishedKey,
  facetsOf,
  invertedScore,
  PARTNER_FACET_PREFIX,
  PROJECTS_INDEX,
  partnerKey,
  partnerPk,
  projectKey,
  projectLinkKey,
  visitKey,
} from "./keys.ts";

/** How the registry's state sits in the table (see keys.ts): loading a partner, and laying out items. */

/** A partner's collection as loaded, with the facets its copies are filed under now (to drop stale ones). */
export interface LoadedPartner extends PartnerCollection {
  readonly facets: readonly string[];
}

/** Everything stored under one partner, with one consistent Query. */
export async function loadPartner(
  client: DynamoDBDocumentClient,
  tableName: string,
  partnerId: string,
): Promise<LoadedPartner | undefined> {
  let partner: Partner | undefined;
  const agreements: Agreement[] = [];
  const visits: RecordedVisit[] = [];
  const projects: Project[] = [];
  const calls: RecordedCall[] = [];
  const items = await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": partnerPk(partnerId) },
    ConsistentRead: true,
  });
  for (const item of items) {
    const sk = String(item.sk);
    if (sk === "PARTNER") partner = withoutKeys<Partner>(item);
    else if (sk.startsWith("AGREEMENT#")) agreements.push(withoutKeys<Agreement>(item));
    else if (sk.startsWith("VISIT#")) visits.push(withoutKeys<RecordedVisit>(item));
    else if (sk.startsWith("PROJECT#")) projects.push(withoutKeys<Project>(item));
    else if (sk.startsWith("CALL#")) calls.push(withoutKeys<RecordedCall>(item));
  }
  return partner && { partner, facets: facetsIn(items), agreements, visits, projects, calls };
}

/**
 * The partner item, written only if it is still the version the decision was made on (or, for a
 * new partner, only if there is none), with its facet copies; copies it no longer belongs under go.
 */
export function putPartner(
  tx: Transaction,
  partner: Partner,
  write: {
    readonly expectedVersion: number | null;
    readonly previousFacets: readonly string[];
    readonly onFailed: (current: Record<string, unknown> | undefined) => Error;
  },
): void {
  tx.put(
    { ...partnerKey(partner.id), ...partner },
    write.expectedVersion === null
      ? { expression: "attribute_not_exists(pk)", onFailed: write.onFailed }
      : { expression: "version = :expected", values: { ":expected": write.expectedVersion }, onFailed: write.onFailed },
  );
  putFacetCopies(tx, {
    pk: partnerPk(partner.id),
    indexPrefix: PARTNER_FACET_PREFIX,
    facets: facetsOf(partner),
    previous: write.previousFacets,
    item: partner,
    sortKeys: { gsi1sk: partner.id, gsi2sk: `${invertedScore(partner.priorityScore)}#${partner.id}` },
  });
}

export const establishedItem = (entry: EstablishedEntry) => ({
  ...establishedKey(entry.partnerId),
  gsi1pk: ESTABLISHED_INDEX,
  gsi1sk: `${entry.on}#${entry.partnerId}`,
  ...entry,
});

export const agreementItem = (agreement: Agreement) => ({
  pk: partnerPk(agreement.partnerId),
  sk: agreementSk(agreement.signedOn, agreement.id),
  gsi1pk: AGREEMENTS_INDEX,
  gsi1sk: `${agreement.signedOn}#${agreement.partnerId}#${agreement.id}`,
  ...(agreement.reviewOn && {
    gsi2pk: AGREEMENT_REVIEW_INDEX,
    gsi2sk: `${agreement.reviewOn}#${agreement.partnerId}#${agreement.id}`,
  }),
  ...agreement,
});

export const visitItem = (partnerId: string, visit: VisitRecord) => ({
  ...visitKey(partnerId, visit.visitId),
  ...visit,
});

export const callItem = (partnerId: string, call: CallRecord) => ({
  ...callKey(partnerId, call.callId),
  ...call,
});

export const projectItem = (project: Project) => ({
  ...projectKey(project.id),
  gsi1pk: PROJECTS_INDEX,
  gsi1sk: `${project.startDate}#${project.id}`,
  ...project,
});

/** A copy of the project under the partner, so a partner's projects come back from one Query. */
export const projectLinkItem = (partnerId: string, project: Project) => ({
  ...projectLinkKey(partnerId, project.id),
  ...project,
});
