/**
 * Starting the approval workflow of a submitted version (R-PRICE-1, R-PRICE-2). The execution
 * name comes from the version and its submission round, so a repeated start is harmless and a
 * resubmission after a return is a new execution. The start is written with the submission (the
 * outbox of workflow starts): a version cannot be submitted without its approval starting.
 */
import { workflowStartItem } from '../outbox/store.js';
import type { TransactItem } from '../shared/dynamo.js';
import { executionName } from './rules.js';
import type { PriceListKind, PriceListVersion } from './schemas.js';

export interface PriceListApprovalInput {
  priceListId: string;
  version: number;
  round: number;
  kind: PriceListKind;
}

/** The start of the version's approval, for the write that submits it. */
export function approvalStartItem(v: Pick<PriceListVersion, 'priceListId' | 'version' | 'round' | 'kind'>): TransactItem {
  const input: PriceListApprovalInput = { priceListId: v.priceListId, version: v.version, round: v.round, kind: v.kind };
  return workflowStartItem('priceListApproval', executionName(v.priceListId, v.version, v.round), input);
}
