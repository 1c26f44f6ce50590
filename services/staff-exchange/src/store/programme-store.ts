import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  type Decision,
  type Page,
  queryPage,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
} from "@cdp/lambda-kit";
import type { Programme } from "../domain/model.ts";
import { agreementCopyKey, PROGRAMMES_INDEX, partnerCopyKey, programmeKey } from "./keys.ts";

/**
 * Programmes, and what this service knows of the registry's partners and agreements (copies kept from
 * PartnerRegistered.v1 and AgreementConcluded.v1: a programme rests on a partner and an agreement that exist).
 */
export class ProgrammeStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(id: string): Promise<Programme | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: programmeKey(id) }));
    return Item ? withoutKeys<Programme>(Item) : undefined;
  }

  list(limit: number, cursor?: string): Promise<Page<Programme>> {
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :programmes",
        ExpressionAttributeValues: { ":programmes": PROGRAMMES_INDEX },
      },
      limit,
      cursor,
      (item) => withoutKeys<Programme>(item),
    );
  }

  async knows(
    partnerId: string,
    agreementId: string | undefined,
  ): Promise<{ partner: boolean; agreement: boolean | undefined }> {
    const read = async (key: { pk: string; sk: string }) =>
      (await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ProjectionExpression: "pk" })))
        .Item !== undefined;
    const [partner, agreement] = await Promise.all([
      read(partnerCopyKey(partnerId)),
      agreementId === undefined ? undefined : read(agreementCopyKey(partnerId, agreementId)),
    ]);
    return { partner, agreement };
  }

  async commit(decision: Decision<Programme>, context: WriteContext): Promise<Programme> {
    const programme = decision.state;
    const tx = new Transaction(this.tableName, context);
    tx.put(
      { ...programmeKey(programme.id), gsi1pk: PROGRAMMES_INDEX, gsi1sk: programme.id, ...programme },
      {
        expression: "attribute_not_exists(pk)",
        onFailed: () => new VersionConflict(`programme ${programme.id} exists already`),
      },
    );
    await tx.audit(decision.audit).publishAll(decision.events).commit(this.client);
    return programme;
  }

  /** A partner's copy: only that it exists, and its name for the record (the registry owns the rest). */
  async keepPartner(
    partner: { partnerId: string; name: { ja: string; en: string } },
    context: WriteContext,
  ): Promise<void> {
    await new Transaction(this.tableName, context)
      .put({ ...partnerCopyKey(partner.partnerId), partnerId: partner.partnerId, name: partner.name })
      .commit(this.client);
  }

  async keepAgreement(
    agreement: { partnerId: string; agreementId: string; signedOn: string },
    context: WriteContext,
  ): Promise<void> {
    await new Transaction(this.tableName, context)
      .put({ ...agreementCopyKey(agreement.partnerId, agreement.agreementId), ...agreement })
      .commit(this.client);
  }
}
