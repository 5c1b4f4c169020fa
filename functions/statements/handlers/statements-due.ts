/**
 * Month-end job (R-BILL-6): on the 1st, the previous month's statement of every customer with
 * ledger activity in it. `{ "month": "YYYY-MM" }` catches up a month; running it twice writes no
 * second statement for a customer and month.
 */
import * as z from 'zod';
import { businessDate } from '../../shared/clock.js';
import { stepHandler } from '../../shared/step.js';
import { generateMonthEndStatements } from '../generate.js';
import { previousMonth } from '../rules.js';
import { Month } from '../schemas.js';

/** The scheduler's event (source, schedule, time) with an optional month for catch-up runs. */
const Input = z.looseObject({ month: Month.optional(), time: z.iso.datetime({ offset: true }).optional() });

export const handler = stepHandler('StatementsDue', Input, async (input) =>
  generateMonthEndStatements(input.month ?? previousMonth(businessDate(input.time ? new Date(input.time) : undefined))),
);
