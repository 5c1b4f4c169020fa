/** Credit notes (贷项通知单, R-BILL-4): sales allowances approved per authority, and the credit notes of returns (R-RETURN-3). */
import * as z from 'zod';
import { InvoiceLine, InvoiceNumber } from '../billing/schemas.js';
import { Money, moneyInput } from '../shared/money.js';
import { Actor, IsoDate, IsoTimestamp, PageQuery } from '../shared/schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const CreditNoteNumber = z.string().regex(/^CN-\d{4}-\d{6,}$/, 'a credit note number such as CN-2026-000001');

export const CreditNoteStatus = z.enum(['PENDING_APPROVAL', 'ISSUED', 'REFUSED', 'EXPIRED', 'CANCELLED', 'REVERSED']).meta({
  description:
    'PENDING_APPROVAL: waiting for the sales manager or the general manager; ISSUED: in the ledger; REFUSED, EXPIRED (not decided in 3 days), CANCELLED (its approval could not start): ended, nothing in the ledger; REVERSED: issued, then reversed by a REVERSAL entry (R-BILL-5)',
});
export type CreditNoteStatus = z.infer<typeof CreditNoteStatus>;

export const CreditNoteSource = z.enum(['ALLOWANCE', 'RETURN']).meta({ description: 'a sales allowance (销售折让, R-BILL-4), or goods returned (R-RETURN-3)' });

export const RequestCreditNote = z
  .object({
    invoiceId: InvoiceNumber.meta({ description: 'the invoice the allowance is granted on' }),
    amount: moneyInput({ min: 1, minMessage: 'an allowance is more than zero' }).meta({
      description: "gross (with VAT), in the invoice's currency; at most the invoice's gross less the credit notes on it already (waiting or issued)",
    }),
    reason: text(1000).meta({ description: 'why the customer is granted it: a price concession, a quality discount, a delay' }),
  })
  .strict()
  .meta({ id: 'RequestCreditNote' });
export type RequestCreditNote = z.infer<typeof RequestCreditNote>;

export const CreditNoteDecision = z.object({ outcome: z.string(), comment: z.string().optional(), decidedBy: Actor, decidedAt: z.string() }).meta({ id: 'CreditNoteDecision' });

export const CreditNote = z
  .object({
    creditNoteId: z.string().meta({ description: 'CN-YYYY-NNNNNN, given when it is asked for; a refused one keeps its number' }),
    source: CreditNoteSource,
    customerId: z.string(),
    customerName: z.string(),
    ownerRepId: z.string(),
    invoiceId: z.string(),
    orderId: z.string(),
    returnId: z.string().optional().meta({ description: 'the return it credits (source RETURN): approved by the return’s approval, not a second one' }),
    amount: Money.meta({ description: 'gross, with VAT' }),
    net: Money.optional().meta({ description: "a return's: the returned goods at the invoice's prices" }),
    tax: Money.optional(),
    lines: z.array(InvoiceLine).optional().meta({ description: "a return's: the accepted quantities at the invoice's prices, VAT per line" }),
    reason: z.string(),
    status: CreditNoteStatus,
    approvers: z.array(z.string()).meta({ description: 'R-BILL-4: sales_manager up to the threshold (setting creditNoteGmAboveMinor), general_manager above it' }),
    decisions: z.array(CreditNoteDecision),
    issuedOn: IsoDate.optional(),
    settled: Money.optional().meta({ description: 'what it paid of the invoice’s outstanding (a CREDIT_NOTE settlement)' }),
    customerCredit: Money.optional().meta({ description: 'what exceeded the outstanding: customer credit, used by the next invoices (R-BILL-3)' }),
    remark: z.string().optional(),
    reversal: z.object({ on: IsoDate, at: IsoTimestamp, by: Actor, reason: z.string() }).optional().meta({ description: 'reversed by a REVERSAL entry in the ledger (R-BILL-5)' }),
    endedAt: IsoTimestamp.optional(),
    endReason: z.string().optional(),
    version: z.int(),
    createdAt: IsoTimestamp,
    createdBy: Actor,
    updatedAt: IsoTimestamp,
    updatedBy: Actor,
  })
  .meta({ id: 'CreditNote' });
export type CreditNote = z.infer<typeof CreditNote>;

export const CreditNoteIdParams = z.object({ creditNoteId: CreditNoteNumber });
export const ListCreditNotesQuery = PageQuery.extend({
  customerId: z.string().regex(/^CU-\d{6,}$/, 'a customer number such as CU-000001'),
  status: CreditNoteStatus.optional(),
});

export const ReverseCreditNote = z
  .object({ reason: text(1000).meta({ description: 'the mistake: what was wrong with it' }) })
  .strict()
  .meta({ id: 'ReverseCreditNote' });
export type ReverseCreditNote = z.infer<typeof ReverseCreditNote>;
