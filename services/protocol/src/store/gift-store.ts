import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  type Decision,
  type Page,
  queryAll,
  queryPage,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
} from "@cdp/lambda-kit";
import type { Declaration, DeclarationStatus } from "../domain/gift-declarations.ts";
import type { Gift, GiftDirection, GiftWrites } from "../domain/gifts.ts";
import { declarationKey, declarationsIndex, giftKey, giftsIndex } from "./keys.ts";
import { type Period, pageAcross, yearsOf } from "./partitioned-lists.ts";

export interface DeclarationFilter {
  readonly status: DeclarationStatus;
  /** Only those the schedule flagged overdue. */
  readonly overdue: boolean;
}

/** Written on the version it was decided on, or, new, only if it does not exist. */
const versionCondition = (what: string, expectedVersion: number | null) =>
  expectedVersion === null
    ? { expression: "attribute_not_exists(pk)", onFailed: () => new VersionConflict(`${what} exists already`) }
    : {
        expression: "version = :expected",
        values: { ":expected": expectedVersion },
        onFailed: () => new VersionConflict(`${what} changed since version ${expectedVersion}`),
      };

const declarationItem = (declaration: Declaration) => ({
  ...declarationKey(declaration.id),
  gsi1pk: declarationsIndex(declaration.status),
  gsi1sk: `${declaration.receivedOn}#${declaration.id}`,
  ...declaration,
});

/**
 * The gift register and the declarations of receipt. A declaration is listed under its status
 * (`DECLARATIONS#pending|registered`, by date of receipt), so registering it moves it between the two lists, in
 * the transaction that writes the gift. Gifts are listed by year (`GIFTS#<yyyy>`, by date); their date never
 * changes after registration, and neither does their partition.
 */
export class GiftStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async getDeclaration(id: string, consistent = false): Promise<Declaration | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: declarationKey(id), ConsistentRead: consistent }),
    );
    return Item ? withoutKeys<Declaration>(Item) : undefined;
  }

  /** A page of the declarations in a status, oldest receipt first. */
  listDeclarations(filter: DeclarationFilter, limit: number, cursor?: string): Promise<Page<Declaration>> {
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :status",
        ...(filter.overdue && { FilterExpression: "attribute_type(overdueSince, :date)" }),
        ExpressionAttributeValues: {
          ":status": declarationsIndex(filter.status),
          ...(filter.overdue && { ":date": "S" }),
        },
      },
      limit,
      cursor,
      (item) => withoutKeys<Declaration>(item),
    );
  }

  /** Every pending declaration: the receipts not registered yet, a handful at any time. */
  async pendingDeclarations(): Promise<Declaration[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pending",
      ExpressionAttributeValues: { ":pending": declarationsIndex("pending") },
    });
    return items.map((item) => withoutKeys<Declaration>(item));
  }

  /** A declaration, or a change to one (flagged overdue), with its audit. */
  async commitDeclaration(decision: Decision<Declaration>, context: WriteContext): Promise<Declaration> {
    const declaration = decision.state;
    await new Transaction(this.tableName, context)
      .put(declarationItem(declaration), versionCondition(`declaration ${declaration.id}`, decision.expectedVersion))
      .audit(decision.audit)
      .publishAll(decision.events)
      .commit(this.client);
    return declaration;
  }

  async getGift(id: string, consistent = false): Promise<Gift | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: giftKey(id), ConsistentRead: consistent }),
    );
    return Item ? withoutKeys<Gift>(Item) : undefined;
  }

  /** A page of the register in the period, by date, of one direction or both. */
  async listGifts(
    period: Period,
    direction: GiftDirection | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<Gift>> {
    const partitions = yearsOf(period).map(giftsIndex);
    const filter = direction && {
      expression: "direction = :direction",
      values: { ":direction": direction },
    };
    return pageAcross(
      this.client,
      { tableName: this.tableName, partitions, period, ...(filter && { filter }) },
      limit,
      cursor,
      (item) => withoutKeys<Gift>(item),
    );
  }

  /**
   * A gift registered or changed, with its audit. A registration of a declared receipt also moves the declaration
   * to registered, on the version read: of two registrations of one declaration, the second fails here.
   */
  async commitGift(decision: Decision<Gift, GiftWrites>, context: WriteContext): Promise<Gift> {
    const gift = decision.state;
    const tx = new Transaction(this.tableName, context).put(
      { ...giftKey(gift.id), gsi1pk: giftsIndex(gift.date.slice(0, 4)), gsi1sk: `${gift.date}#${gift.id}`, ...gift },
      versionCondition(`gift ${gift.id}`, decision.expectedVersion),
    );
    if (decision.declaration) {
      const { state, expectedVersion, audit } = decision.declaration;
      tx.put(declarationItem(state), versionCondition(`declaration ${state.id}`, expectedVersion)).audit(audit);
    }
    await tx.audit(decision.audit).publishAll(decision.events).commit(this.client);
    return gift;
  }
}
