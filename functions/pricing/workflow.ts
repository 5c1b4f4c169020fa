/** Shapes the approval workflow passes to its steps (state-machines/price-list-approval.asl.json). */
import * as z from 'zod';
import { Actor } from '../shared/schemas.js';

/** A person's decision as the decision endpoint sends it through SendTaskSuccess. */
export const RecordedApproveOrReturn = z.looseObject({
  outcome: z.enum(['APPROVED', 'RETURNED']),
  comment: z.string().optional(),
  decidedBy: Actor,
  decidedAt: z.string(),
  taskId: z.string(),
});
export type RecordedApproveOrReturn = z.infer<typeof RecordedApproveOrReturn>;

export const StepInput = z.object({
  priceListId: z.string().min(1),
  version: z.int().min(1),
  round: z.int().min(1),
});

/** How long a person has for a review or an approval; the ASL's TimeoutSeconds say the same (259200). */
export const DECIDE_WITHIN_MS = 3 * 24 * 60 * 60 * 1000;
