/** Workflow step: reserve the order's goods (R-FULFIL-2); a shortfall raises production or purchase requests. */
import * as z from 'zod';
import { stepHandler } from '../../shared/step.js';
import { reserveOrderStock } from '../reservation.js';

const Input = z.object({ orderId: z.string(), attempt: z.int().min(0) });

export const handler = stepHandler('ReserveOrderStock', Input, (input) => reserveOrderStock(input));
