/** Workflow step InvoiceOrder, the order's last (R-BILL-1): every delivery note whose goods left is invoiced once. */
import * as z from 'zod';
import { stepHandler } from '../../shared/step.js';
import { invoiceOrder } from '../invoices.js';

const Input = z.object({ orderId: z.string().min(1) });

export const handler = stepHandler('InvoiceOrder', Input, async (input) => invoiceOrder(input.orderId));
