/** Schedule (R-AR-4): the sales summary on the 5th, 15th and 25th (setting); once per day (a second run sends nothing). */
import * as z from 'zod';
import { businessDate } from '../../shared/clock.js';
import { stepHandler } from '../../shared/step.js';
import { salesSummary } from '../reports.js';

/** The scheduler's event is ignored except for an optional summary day, for catch-up runs. */
const Input = z.looseObject({ day: z.iso.date().optional() }).catch({});

export const handler = stepHandler('SalesSummaries', Input, async (input) => {
  const { report, created } = await salesSummary(input.day ?? businessDate());
  return { reportId: report.reportId, created };
});
