/**
 * Daily job (R-AR-2): alerts for open invoices at their milestones, once per invoice, milestone and
 * recipient, so running it twice on a day sends nothing twice. Reads only the sparse index of open
 * invoices due by the first milestone. Credit holds for invoices long overdue are the job
 * credit-holds-due (R-CREDIT-5).
 */
import * as z from 'zod';
import { businessDate } from '../../shared/clock.js';
import { stepHandler } from '../../shared/step.js';
import { sendReceivableAlerts } from '../receivables.js';

/** The scheduler's event is ignored except for an optional business date, for catch-up runs. */
const Input = z.looseObject({ asOf: z.iso.date().optional() }).catch({});

export const handler = stepHandler('ReceivablesDue', Input, async (input) => sendReceivableAlerts(input.asOf ?? businessDate()));
