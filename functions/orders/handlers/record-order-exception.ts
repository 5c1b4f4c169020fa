/** Workflow step: a step failed for good; compensate and leave the order in EXCEPTION with the reason. */
import * as z from 'zod';
import { stepHandler } from '../../shared/step.js';
import { recordOrderException } from '../exceptions.js';

const Input = z.object({ orderId: z.string(), step: z.string(), error: z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() }) });

export const handler = stepHandler('RecordOrderException', Input, (input) => recordOrderException(input));
