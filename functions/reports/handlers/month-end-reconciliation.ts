/** Schedule (R-AR-4): on the 1st, last month's shipments reconciled against warehouse issues and invoices; once per month. */
import * as z from 'zod';
import { addDays, businessDate } from '../../shared/clock.js';
import { stepHandler } from '../../shared/step.js';
import { reconcileMonth } from '../reports.js';

/** The scheduler's event is ignored except for an optional month (YYYY-MM), for catch-up runs. */
const Input = z.looseObject({ month: z.string().regex(/^\d{4}-\d{2}$/).optional() }).catch({});

export const handler = stepHandler('MonthEndReconciliation', Input, async (input) => {
  const month = input.month ?? addDays(`${businessDate().slice(0, 7)}-01`, -1).slice(0, 7);
  const { report, created } = await reconcileMonth(month);
  return { reportId: report.reportId, created, differences: (report.differences as unknown[]).length };
});
