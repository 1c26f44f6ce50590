import type { TableSpec } from "@cdp/lambda-kit";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * A service's single table, as its manifest describes it. On-demand so it costs nothing idle; recoverable to any
 * second of the last 35 days; protected from deletion; its stream feeds the outbox relay.
 */
export class ServiceTable extends dynamodb.TableV2 {
  constructor(scope: Construct, id: string, spec: TableSpec) {
    super(scope, id, {
      partitionKey: stringKey(spec.partitionKey),
      sortKey: stringKey(spec.sortKey),
      globalSecondaryIndexes: spec.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
      })),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: spec.ttlAttribute,
    });
  }
}
