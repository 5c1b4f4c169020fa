/** Workflow step: a refused credit decision, or a wait nobody ended in time, sends the order back to its rep (releasing any reservation). */
import * as z from 'zod';
import { Actor } from '../../shared/schemas.js';
import { stepHandler } from '../../shared/step.js';
import { returnOrderFromCredit } from '../stage.js';

const Input = z.object({
  orderId: z.string(),
  attempt: z.int().min(0),
  outcome: z.enum(['REJECTED', 'EXPIRED']),
  decision: z.looseObject({ comment: z.string().optional(), decidedBy: Actor, decidedAt: z.string(), taskId: z.string().optional() }).optional(),
});

export const handler = stepHandler('ReturnOrderFromCredit', Input, (input) => returnOrderFromCredit(input));
