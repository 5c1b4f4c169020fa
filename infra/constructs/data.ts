/**
 * The DynamoDB tables, built from TABLE_LIST and nothing else: keys, indexes, TTL and stream
 * as defined; every table on demand, encrypted, with 35 days of point-in-time recovery
 * (R-INFO-4), deletion protection, and retained when the stack goes.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { KeyAttribute, TableDefinition, TableId } from '../../functions/shared/definitions.js';
import type { TableResource } from './business-function.js';

/** R-INFO-4: data can be restored to any point in the last 35 days (the PITR maximum). */
export const PITR_RECOVERY_DAYS = 35;

function attribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: key.type === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING };
}

export interface DataProps {
  readonly tables: readonly TableDefinition[];
}

export class Data extends Construct {
  readonly tables: Record<TableId, dynamodb.Table>;
  readonly resources: Record<TableId, TableResource>;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const tables: Partial<Record<TableId, dynamodb.Table>> = {};
    const resources: Partial<Record<TableId, TableResource>> = {};

    for (const def of props.tables) {
      const table = new dynamodb.Table(this, tableConstructId(def.id), {
        partitionKey: attribute(def.partitionKey),
        sortKey: def.sortKey ? attribute(def.sortKey) : undefined,
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: PITR_RECOVERY_DAYS },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        timeToLiveAttribute: def.timeToLiveAttribute,
        stream: def.stream === 'NEW_IMAGE' ? dynamodb.StreamViewType.NEW_IMAGE : undefined,
      });
      for (const index of def.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey ? attribute(index.sortKey) : undefined,
          projectionType: dynamodb.ProjectionType.ALL,
        });
      }
      tables[def.id] = table;
      resources[def.id] = { table, indexNames: def.indexes.map((i) => i.name) };
    }
    this.tables = tables as Record<TableId, dynamodb.Table>;
    this.resources = resources as Record<TableId, TableResource>;
  }
}

/** customers → Customers; stable construct ids keep logical ids stable. */
export function tableConstructId(id: TableId): string {
  return `${id.charAt(0).toUpperCase()}${id.slice(1)}Table`;
}
