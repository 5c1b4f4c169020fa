/** Workflow step: the credit check of an order after review (R-CREDIT-3..6); reserves exposure when it passes. */
import * as z from 'zod';
import { Actor } from '../../shared/schemas.js';
import { stepHandler } from '../../shared/step.js';
import { checkOrderCredit } from '../stage.js';

const Decision = z.looseObject({ taskId: z.string(), decidedBy: Actor, decidedAt: z.string(), comment: z.string().optional() });

const Input = z.object({
  orderId: z.string(),
  attempt: z.int().min(0),
  /** The credit decision that answered an OVER_LIMIT check. */
  approval: Decision.optional(),
  /** Finance's confirmation of a prepayment. */
  prepayment: Decision.extend({ amount: z.object({ amountMinor: z.int(), currency: z.string() }), reference: z.string(), receivedOn: z.string() }).optional(),
});

export const handler = stepHandler('CheckOrderCredit', Input, (input) => checkOrderCredit(input));
