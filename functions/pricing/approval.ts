/**
 * Starting the approval workflow of a submitted version (R-PRICE-1, R-PRICE-2). The execution
 * name comes from the version and its submission round, so a repeated start is harmless and a
 * resubmission after a return is a new execution.
 */
import { logger } from '../shared/logger.js';
import { startExecution } from '../shared/workflows.js';
import { executionName } from './rules.js';
import type { PriceListKind, PriceListVersion } from './schemas.js';

export interface PriceListApprovalInput {
  priceListId: string;
  version: number;
  round: number;
  kind: PriceListKind;
}

/** False (and logged) if the workflow could not start now. */
export async function startApproval(v: Pick<PriceListVersion, 'priceListId' | 'version' | 'round' | 'kind'>): Promise<boolean> {
  const input: PriceListApprovalInput = { priceListId: v.priceListId, version: v.version, round: v.round, kind: v.kind };
  try {
    await startExecution('priceListApproval', executionName(v.priceListId, v.version, v.round), input);
    return true;
  } catch (err) {
    logger.error('price list approval could not start', { priceListId: v.priceListId, version: v.version, round: v.round, error: err as Error });
    return false;
  }
}
