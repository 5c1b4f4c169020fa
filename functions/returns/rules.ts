/** Returns (R-RETURN-1..4): what may be returned, at what price, what an inspection and a receipt may say. Pure: no I/O. */
import { Decimal } from 'decimal.js';
import type { InvoiceLine } from '../billing/schemas.js';
import type { FieldError } from '../shared/errors.js';
import { lineAmount, money, taxAmount } from '../shared/money.js';
import { isValidQuantity } from '../shared/quantity.js';
import type { Role } from '../shared/roles.js';
import type { RecordInspection, ReceiveReturn, Return, ReturnLine } from './schemas.js';

/** R-RETURN-1: the sales manager approves a return (the general manager when the sales manager asked: nobody approves their own). */
export function returnApprovers(requesterRoles: readonly Role[]): [Role] {
  return requesterRoles.includes('sales_manager') ? ['general_manager'] : ['sales_manager'];
}

/**
 * What has been returned of an invoice line is counted in millionths of the unit (a quantity has at
 * most six decimal places), whatever the product's precision, so the count never changes meaning.
 */
export const TALLY_SCALE = 6;
export const tallyUnits = (quantity: string) => new Decimal(quantity).times(new Decimal(10).pow(TALLY_SCALE)).toNumber();
const fromTally = (units: number) => new Decimal(units).dividedBy(new Decimal(10).pow(TALLY_SCALE)).toFixed();

const isZero = (q: string) => new Decimal(q).isZero();
/** A quantity with at most `scale` decimals, zero allowed (an inspection or a receipt may say "none"). */
const fitsPrecision = (q: string, scale: number) => isZero(q) || isValidQuantity(q, scale);

/**
 * R-RETURN-1: each line names an invoice line once, a quantity above zero in the product's
 * precision, and at most what was invoiced less what earlier returns (not refused) took of it.
 * Every problem names its field.
 */
export function returnLineProblems(
  lines: readonly { lineNo: number; quantity: string }[],
  invoice: { invoiceId: string; lines: readonly InvoiceLine[] },
  returnedUnits: ReadonlyMap<number, number>,
  scaleOf: (productCode: string) => number | undefined,
): FieldError[] {
  const seen = new Set<number>();
  return lines.flatMap((line, i): FieldError[] => {
    const at = `body.lines.${i}`;
    const invoiced = invoice.lines.find((l) => l.lineNo === line.lineNo);
    if (!invoiced) return [{ field: `${at}.lineNo`, message: `${invoice.invoiceId} has no line ${line.lineNo} (lines ${invoice.lines.map((l) => l.lineNo).join(', ')})`, code: 'unknown_line' }];
    if (seen.has(line.lineNo)) return [{ field: `${at}.lineNo`, message: `line ${line.lineNo} twice: one entry per line`, code: 'duplicate' }];
    seen.add(line.lineNo);
    const scale = scaleOf(invoiced.productCode) ?? new Decimal(invoiced.quantity).decimalPlaces();
    if (!isValidQuantity(line.quantity, scale)) return [{ field: `${at}.quantity`, message: `more than zero, with at most ${scale} decimal places (${invoiced.unit})`, code: 'quantity_precision' }];
    const left = new Decimal(invoiced.quantity).minus(fromTally(returnedUnits.get(line.lineNo) ?? 0));
    if (new Decimal(line.quantity).greaterThan(left)) {
      const earlier = returnedUnits.get(line.lineNo) ? `, ${fromTally(returnedUnits.get(line.lineNo)!)} of it returned or being returned already` : '';
      return [{ field: `${at}.quantity`, message: `at most ${left.toFixed()} ${invoiced.unit}: ${invoiced.quantity} invoiced${earlier}`, code: 'over_return' }];
    }
    return [];
  });
}

/** A quantity of an invoice line at the invoice's price, VAT per line, each rounded half-up to the minor unit (R-BILL-1's arithmetic). */
export function pricedLine(invoiced: InvoiceLine, quantity: string): InvoiceLine {
  const net = lineAmount(quantity, invoiced.unitPrice);
  const tax = taxAmount(net, invoiced.taxRateBasisPoints);
  return { ...invoiced, quantity, net, tax, gross: money(net.amountMinor + tax.amountMinor, net.currency) };
}

/** The quantity the approval covers: a quality return's confirmed defect, any other return's quantity asked. */
export const approvedQuantity = (ret: Pick<Return, 'kind'>, line: Pick<ReturnLine, 'quantity' | 'confirmedQuantity'>) => (ret.kind === 'QUALITY' ? (line.confirmedQuantity ?? '0') : line.quantity);

/**
 * R-RETURN-2: the inspection confirms the defect per line, at most what was asked (a line not named:
 * all of it), in the product's precision; a confirmed defect needs more than zero somewhere.
 * Answers the confirmed quantity per line, or the problems.
 */
export function inspectionResult(ret: Pick<Return, 'returnId' | 'lines'>, input: RecordInspection, scaleOf: (productCode: string) => number): { problems: FieldError[]; confirmed: Map<number, string> } {
  const problems: FieldError[] = [];
  const confirmed = new Map<number, string>();
  if (!input.defectConfirmed) {
    if (input.lines?.some((l) => !isZero(l.confirmedQuantity))) problems.push({ field: 'body.lines', message: 'no defect confirmed: no quantity either', code: 'contradiction' });
    for (const l of ret.lines) confirmed.set(l.lineNo, '0');
    return { problems, confirmed };
  }
  const seen = new Set<number>();
  (input.lines ?? []).forEach((l, i) => {
    const line = ret.lines.find((r) => r.lineNo === l.lineNo);
    if (!line) return problems.push({ field: `body.lines.${i}.lineNo`, message: `${ret.returnId} has no line ${l.lineNo}`, code: 'unknown_line' });
    if (seen.has(l.lineNo)) return problems.push({ field: `body.lines.${i}.lineNo`, message: `line ${l.lineNo} twice`, code: 'duplicate' });
    seen.add(l.lineNo);
    if (!fitsPrecision(l.confirmedQuantity, scaleOf(line.productCode))) return problems.push({ field: `body.lines.${i}.confirmedQuantity`, message: `at most ${scaleOf(line.productCode)} decimal places (${line.unit})`, code: 'quantity_precision' });
    if (new Decimal(l.confirmedQuantity).greaterThan(line.quantity)) return problems.push({ field: `body.lines.${i}.confirmedQuantity`, message: `at most the ${line.quantity} ${line.unit} asked`, code: 'over_return' });
    confirmed.set(l.lineNo, new Decimal(l.confirmedQuantity).toFixed());
  });
  for (const l of ret.lines) if (!confirmed.has(l.lineNo) && !seen.has(l.lineNo)) confirmed.set(l.lineNo, l.quantity);
  if (problems.length === 0 && [...confirmed.values()].every(isZero)) problems.push({ field: 'body.defectConfirmed', message: 'a defect confirmed on no quantity: say false, or name the defective quantity', code: 'contradiction' });
  return { problems, confirmed };
}

/**
 * R-RETURN-3: the warehouse names what came back per line, at most what was approved, in the
 * product's precision, and where it goes (stock or repair); a line not named: nothing came. Something
 * must have come (otherwise the return is withdrawn).
 */
export function receiptResult(
  ret: Pick<Return, 'returnId' | 'kind' | 'lines'>,
  input: ReceiveReturn,
  scaleOf: (productCode: string) => number,
): { problems: FieldError[]; received: Map<number, { quantity: string; disposition: 'STOCK' | 'REPAIR'; batch?: string | undefined }> } {
  const problems: FieldError[] = [];
  const received = new Map<number, { quantity: string; disposition: 'STOCK' | 'REPAIR'; batch?: string | undefined }>();
  input.lines.forEach((l, i) => {
    const line = ret.lines.find((r) => r.lineNo === l.lineNo);
    if (!line) return problems.push({ field: `body.lines.${i}.lineNo`, message: `${ret.returnId} has no line ${l.lineNo}`, code: 'unknown_line' });
    if (received.has(l.lineNo)) return problems.push({ field: `body.lines.${i}.lineNo`, message: `line ${l.lineNo} twice`, code: 'duplicate' });
    if (!fitsPrecision(l.quantity, scaleOf(line.productCode))) return problems.push({ field: `body.lines.${i}.quantity`, message: `at most ${scaleOf(line.productCode)} decimal places (${line.unit})`, code: 'quantity_precision' });
    const approved = approvedQuantity(ret, line);
    if (new Decimal(l.quantity).greaterThan(approved)) return problems.push({ field: `body.lines.${i}.quantity`, message: `at most the ${approved} ${line.unit} approved`, code: 'over_return' });
    received.set(l.lineNo, { quantity: new Decimal(l.quantity).toFixed(), disposition: l.disposition, batch: l.batch });
  });
  if (problems.length === 0 && [...received.values()].every((r) => isZero(r.quantity))) {
    problems.push({ field: 'body.lines', message: 'nothing came back: withdraw the return instead', code: 'nothing_received' });
  }
  return { problems, received };
}

/** What a line gives back to the invoice's count when the return ends: asked less what stays returned. */
export const unclaimedUnits = (asked: string, kept: string) => tallyUnits(asked) - tallyUnits(kept);
