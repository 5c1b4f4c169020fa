/**
 * What one order's usage costs per 1,000 orders at AWS list prices. The prices are the
 * published us-east-1 list prices as of writing (the figures the bench issue states); free
 * tiers are ignored. Change them here when they change.
 */
import { round } from './stats.js';

export const AWS_PRICES = {
  region: 'us-east-1',
  asOf: 'AWS us-east-1 list prices as of writing; free tiers ignored',
  stepFunctionsStandard: { usd: 0.025, per: 1_000, unit: 'state transitions' },
  dynamoDbWrite: { usd: 0.625, per: 1_000_000, unit: 'write request units (on-demand)' },
  dynamoDbRead: { usd: 0.125, per: 1_000_000, unit: 'read request units (on-demand)' },
  lambdaRequests: { usd: 0.2, per: 1_000_000, unit: 'requests' },
  lambdaDurationArm: { usd: 0.0000133334, per: 1, unit: 'GB-second (ARM/Graviton)' },
} as const;

type Price = { usd: number; per: number; unit: string };

export interface CostRow {
  item: string;
  /** Units for 1,000 orders. */
  units: number;
  price: string;
  usdPer1000Orders: number;
}

export interface PerOrderUsage {
  stateTransitions: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  writeRequestUnits: number;
  readRequestUnits: number;
}

const priceText = (p: Price) => `$${p.usd} per ${p.per === 1 ? '' : `${p.per.toLocaleString('en-US')} `}${p.unit}`;

export function costPer1000Orders(perOrder: PerOrderUsage): { rows: CostRow[]; totalUsd: number } {
  const lines: [string, number, Price][] = [
    ['Step Functions Standard state transitions', perOrder.stateTransitions, AWS_PRICES.stepFunctionsStandard],
    ['DynamoDB write request units', perOrder.writeRequestUnits, AWS_PRICES.dynamoDbWrite],
    ['DynamoDB read request units', perOrder.readRequestUnits, AWS_PRICES.dynamoDbRead],
    ['Lambda requests', perOrder.lambdaInvocations, AWS_PRICES.lambdaRequests],
    ['Lambda duration', perOrder.lambdaGbSeconds, AWS_PRICES.lambdaDurationArm],
  ];
  const rows = lines.map(([item, unitsPerOrder, price]) => {
    const units = unitsPerOrder * 1000;
    return { item, units: round(units, 3), price: priceText(price), usdPer1000Orders: round((units / price.per) * price.usd, 6) };
  });
  return { rows, totalUsd: round(rows.reduce((s, r) => s + r.usdPer1000Orders, 0), 6) };
}
