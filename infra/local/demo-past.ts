/**
 * The demo's past: six months of business before today, so that statements, aging, alerts and
 * reports have something real to show on a fresh start. It is loaded by moving the business clock
 * (setClock) day by day, from six months ago to yesterday: each morning the daily jobs run as the
 * schedules would have run them (credit holds, month-end statements and reconciliation, receivable
 * alerts, sales summaries), then the day's business happens through the API as the people who own
 * each step — orders taken, reviewed, shipped and signed for (and so invoiced by their workflows),
 * payments received, an allowance, a quality return. Everything is dated from today, so the story
 * is the same whatever the date:
 *
 * - East China Construction (CU-000001, A, 60 days): pays on time, once late in two parts and once
 *   a week late; an allowance for a late delivery; a quality return of cable; one invoice 1-30 days
 *   overdue and two not yet due.
 * - Suzhou Precision (CU-000002, no contract: prepaid): two orders paid ahead.
 * - Wuxi Hengtong (CU-000003, B, 30 days): paid on time, then late, then stopped paying: invoices
 *   31-60, 61-90 and over 90 days overdue, one part paid; put on credit hold by the daily job when the
 *   oldest passed 30 days.
 * - Lao Li Hardware (CU-000004, pickup, cash at the gate): three purchases paid in cash.
 */
import { Decimal } from 'decimal.js';
import { addDays, businessDayStart, nowIso, setClock } from '../../functions/shared/clock.js';
import { settings } from '../../functions/shared/settings.js';
import { type Money, call, decideTaskAbout, find, openTaskAbout, yuan } from './demo-api.js';
import type { LocalStack } from './stack.js';

export const ECC = 'CU-000001';
export const SUZHOU = 'CU-000002';
export const WUXI = 'CU-000003';
export const LAO_LI = 'CU-000004';

export const ADDRESSES = {
  [ECC]: { label: '工地仓库 Site warehouse', line1: '浦东新区张江路 88 号', city: '上海 Shanghai', region: '上海 Shanghai' },
  [SUZHOU]: { label: 'Plant', line1: '工业园区星湖街 328 号', city: '苏州 Suzhou', region: '江苏 Jiangsu' },
  [WUXI]: { label: 'Warehouse', line1: '新吴区长江路 21 号', city: '无锡 Wuxi', region: '江苏 Jiangsu' },
} as const;

/** The business clock at `time` (company time) on `day`. */
export function clockAt(day: string, time = '10:00'): void {
  const [h, m] = time.split(':').map(Number) as [number, number];
  setClock(new Date(businessDayStart(day).getTime() + (h * 60 + m) * 60_000));
}

/** What a day of the past holds: something done at a time of day, `daysAgo` days before today. */
export interface Step {
  daysAgo: number;
  time: string;
  what: string;
  run(past: Past): Promise<void>;
}

interface Past {
  stack: LocalStack;
  today: string;
  /** Each sale's order, delivery note, invoice and receipt as they come to exist. */
  sales: Map<string, { orderId: string; deliveryNoteId?: string; invoiceId?: string; receipt?: string }>;
  carrierId?: string;
}

type Line = { productCode: string; specification: string; quantity: string };
/** What the loader reads back from the API. */
type Order = { orderId: string; status: string; totals: { gross: Money } };
type Invoice = { invoiceId: string; outstanding: Money };
type Note = { deliveryNoteId: string; invoiceId?: string; lines: { lineNo: number; quantity: string; weightKg?: string }[] };

interface Sale {
  key: string;
  customerId: string;
  rep: string;
  channel: string;
  customerReference?: string;
  paymentMethod: 'credit' | 'prepaid' | 'cash_on_pickup';
  lines: Line[];
  /** Days before today: the order is taken and reviewed; its goods leave; the customer signs for them (and it is invoiced). */
  ordered: number;
  shipped: number;
  delivered: number;
  /** The delivery date the customer asked for, days after the order (default 14). */
  requestedAfter?: number;
  /** A delay the carrier reported on the way. */
  delayed?: { daysAgo: number; note: string };
  signer: string;
  vehicle: string;
}

const coil = (spec: string, quantity: string): Line => ({ productCode: 'HRC-Q235', specification: spec, quantity });
const rebar = (spec: string, quantity: string): Line => ({ productCode: 'RB-HRB400', specification: spec, quantity });
const cable = (quantity: string): Line => ({ productCode: 'CBL-YJV-3X95', specification: '0.6/1kV', quantity });
const valves = (spec: string, quantity: string): Line => ({ productCode: 'VLV-DN50', specification: spec, quantity });
const gloves = (quantity: string): Line => ({ productCode: 'GLV-NITRILE', specification: 'L', quantity });

const ecc = { customerId: ECC, rep: 'wang.qiang', paymentMethod: 'credit', signer: '张伟 Zhang Wei', vehicle: '沪B·66218' } as const;
const wuxi = { customerId: WUXI, rep: 'wang.qiang', paymentMethod: 'credit', signer: '陈静 Chen Jing', vehicle: '苏B·37120' } as const;
const suzhou = { customerId: SUZHOU, rep: 'wang.qiang', paymentMethod: 'prepaid', signer: '刘芳 Liu Fang', vehicle: '苏E·88888' } as const;
const laoLi = { customerId: LAO_LI, rep: 'li.na', paymentMethod: 'cash_on_pickup', signer: '李建国 Li Jianguo', vehicle: '川A·5K217' } as const;

/**
 * The sales of the six months. Terms: East China Construction 60 days, Wuxi Hengtong 30 days from
 * the invoice (the day the customer signs). The comments give each invoice's due date and fate.
 */
export const SALES: Sale[] = [
  // due 117 days ago, paid 2 days early
  { key: 'E1', ...ecc, channel: 'phone', customerReference: 'ECC-PO-2106', lines: [coil('3.0x1500', '30')], ordered: 180, shipped: 178, delivered: 177 },
  // due 101 days ago, paid that day
  { key: 'E2', ...ecc, channel: 'email', customerReference: 'ECC-PO-2118', lines: [rebar('Φ16', '40')], ordered: 165, shipped: 162, delivered: 161 },
  // due 82 days ago, paid late: part 10 days late, the rest 25 days late
  { key: 'E3', ...ecc, channel: 'visit', customerReference: 'ECC-PO-2131', lines: [coil('4.0x1500', '25')], ordered: 146, shipped: 143, delivered: 142 },
  // asked for in 10 days, delivered 3 days late after a road closure: an allowance; the rest paid on time (due 57 days ago)
  { key: 'E4', ...ecc, channel: 'phone', customerReference: 'ECC-PO-2140', lines: [rebar('Φ25', '35')], ordered: 130, requestedAfter: 10, shipped: 122, delayed: { daysAgo: 121, note: 'G15 沈海高速封路两天 G15 expressway closed for two days; new ETA in 3 days' }, delivered: 117 },
  // due 43 days ago; 200 m with damaged insulation came back (quality return); the rest paid a week late
  { key: 'E5', ...ecc, channel: 'email', customerReference: 'ECC-PO-2152', lines: [cable('1200')], ordered: 108, shipped: 104, delivered: 103 },
  // due 12 days ago: overdue, 1-30 days
  { key: 'E6', ...ecc, channel: 'phone', customerReference: 'ECC-PO-2167', lines: [coil('3.0x1500', '20')], ordered: 76, shipped: 73, delivered: 72 },
  // due in 14 days
  { key: 'E7', ...ecc, channel: 'mobile', customerReference: 'ECC-PO-2175', lines: [rebar('Φ20', '30')], ordered: 50, shipped: 47, delivered: 46 },
  // due in 40 days
  { key: 'E8', ...ecc, channel: 'visit', customerReference: 'ECC-PO-2189', lines: [coil('3.0x1500', '28'), cable('500')], ordered: 24, shipped: 21, delivered: 20 },

  // due 139 days ago, paid 2 days early
  { key: 'W1', ...wuxi, channel: 'phone', lines: [rebar('Φ16', '15')], ordered: 172, shipped: 170, delivered: 169 },
  // due 119 days ago, paid 15 days late
  { key: 'W2', ...wuxi, channel: 'email', lines: [rebar('Φ12', '18')], ordered: 152, shipped: 150, delivered: 149 },
  // due 95 days ago: part paid 40 days ago, the rest over 90 days overdue; 30 days past due, it put the customer on hold
  { key: 'W3', ...wuxi, channel: 'phone', lines: [rebar('Φ16', '20')], ordered: 128, shipped: 126, delivered: 125 },
  // due 71 days ago: 61-90 days overdue
  { key: 'W4', ...wuxi, channel: 'email', lines: [rebar('Φ12', '16')], ordered: 104, shipped: 102, delivered: 101 },
  // due 51 days ago: 31-60 days overdue
  { key: 'W5', ...wuxi, channel: 'fax', lines: [rebar('Φ25', '14')], ordered: 84, shipped: 82, delivered: 81 },

  // paid ahead (no contract on file: prepaid only)
  { key: 'S1', ...suzhou, channel: 'fax', customerReference: 'SZ-0611', lines: [valves('PN25', '30')], ordered: 158, shipped: 156, delivered: 155 },
  { key: 'S2', ...suzhou, channel: 'phone', customerReference: 'SZ-0907', lines: [valves('PN16', '40')], ordered: 66, shipped: 64, delivered: 63 },

  // collected at the gate, paid in cash
  { key: 'L1', ...laoLi, channel: 'visit', lines: [gloves('50')], ordered: 140, shipped: 139, delivered: 139 },
  { key: 'L2', ...laoLi, channel: 'verbal', lines: [valves('PN16', '6')], ordered: 90, shipped: 89, delivered: 89 },
  { key: 'L3', ...laoLi, channel: 'visit', lines: [gloves('40')], ordered: 28, shipped: 27, delivered: 27 },
];

/** What the past shipped per product and specification ("HRC-Q235 3.0x1500" → quantity), for the opening stock. */
export function pastShipments(): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const line of SALES.flatMap((s) => s.lines)) {
    const key = `${line.productCode} ${line.specification}`;
    out.set(key, (out.get(key) ?? new Decimal(0)).plus(line.quantity));
  }
  return out;
}

const dayOf = (past: Past, daysAgo: number) => addDays(past.today, -daysAgo);
const saleOf = (past: Past, key: string) => {
  const sale = past.sales.get(key);
  if (!sale) throw new Error(`demo data: sale ${key} is not there yet`);
  return sale;
};
const invoiceOf = async (past: Past, key: string) => {
  const { invoiceId } = saleOf(past, key);
  if (!invoiceId) throw new Error(`demo data: sale ${key} is not invoiced yet`);
  return call<Invoice>(past.stack, 'wu.fang', 'GET', `/invoices/${invoiceId}`);
};
const bankReference = (past: Past, daysAgo: number, n: number) => `${dayOf(past, daysAgo).replaceAll('-', '')}-${String(n).padStart(4, '0')}`;

/** The order desk, and first the sales manager where the pre-check asks for a special approval (a customer without a tax id). */
async function approveOrder(stack: LocalStack, orderId: string): Promise<void> {
  if (await openTaskAbout(stack, 'liu.yang', orderId)) await decideTaskAbout(stack, 'liu.yang', orderId, { outcome: 'APPROVED', comment: '无税号，开普通发票 no tax id on file: an ordinary invoice' });
  await decideTaskAbout(stack, 'chen.jie', orderId, { outcome: 'APPROVED' });
}

/** A sale's days: the order taken and approved (and paid ahead), the goods out of the gate, on the road, signed for. */
function saleSteps(sale: Sale): Step[] {
  const pickup = sale.paymentMethod === 'cash_on_pickup';
  const steps: Step[] = [
    {
      daysAgo: sale.ordered,
      time: '09:30',
      what: `${sale.key}: order`,
      run: async (past) => {
        const { stack } = past;
        const created = await call<Order>(stack, sale.rep, 'POST', '/orders', {
          customerId: sale.customerId,
          channel: sale.channel,
          ...(sale.customerReference ? { customerReference: sale.customerReference } : {}),
          requestedDeliveryDate: addDays(dayOf(past, sale.ordered), sale.requestedAfter ?? 14),
          delivery: pickup ? { mode: 'pickup' } : { mode: 'delivery', address: ADDRESSES[sale.customerId as keyof typeof ADDRESSES] },
          paymentMethod: sale.paymentMethod,
          lines: sale.lines,
        });
        const { orderId } = created;
        past.sales.set(sale.key, { orderId });
        await call(stack, sale.rep, 'POST', `/orders/${orderId}/submission`);
        await approveOrder(stack, orderId);
        if (sale.paymentMethod === 'prepaid') {
          // R-CREDIT-6 with R-BILL-2: the transfer for this order; recording it confirms the prepayment and the order goes on.
          const order = await call<Order>(stack, 'wu.fang', 'GET', `/orders/${orderId}`);
          const paid = await call<{ receiptNumber: string }>(stack, 'wu.fang', 'POST', '/payments', {
            customerId: sale.customerId,
            orderId,
            method: 'BANK_TRANSFER',
            bankReference: `农行 ABC ${bankReference(past, sale.ordered, 1)}`,
            amount: order.totals.gross,
            receivedOn: dayOf(past, sale.ordered),
            remarks: `预付款 prepayment ${sale.customerReference ?? ''}`.trim(),
          });
          saleOf(past, sale.key).receipt = paid.receiptNumber;
          await stack.stepFunctions.idle();
        }
        const { status } = await call<Order>(stack, sale.rep, 'GET', `/orders/${orderId}`);
        if (status !== 'GOODS_RESERVED') throw new Error(`demo data: ${sale.key} ${orderId} is ${status}, not GOODS_RESERVED`);
      },
    },
    {
      daysAgo: sale.shipped,
      time: '10:00',
      what: `${sale.key}: goods out`,
      run: async (past) => {
        const { stack } = past;
        const current = saleOf(past, sale.key);
        const note = await call<Note>(stack, 'zhao.min', 'POST', `/orders/${current.orderId}/delivery-notes`, {});
        current.deliveryNoteId = note.deliveryNoteId;
        const { lines } = note;
        if (pickup) {
          // R-BILL-2: cash at the gate for this order, then the note is released as paid.
          const order = await call<Order>(stack, 'wu.fang', 'GET', `/orders/${current.orderId}`);
          const paid = await call<{ receiptNumber: string }>(stack, 'wu.fang', 'POST', '/payments', { customerId: sale.customerId, orderId: current.orderId, method: 'CASH', amount: order.totals.gross, receivedOn: dayOf(past, sale.shipped), remarks: '现金提货 cash at pickup' });
          current.receipt = paid.receiptNumber;
        }
        await call(stack, 'wu.fang', 'POST', `/delivery-notes/${note.deliveryNoteId}/sign-off`, current.receipt ? { basis: 'PAID', reference: current.receipt } : { basis: 'CREDIT' });
        const batch = `B-${dayOf(past, sale.shipped).slice(2, 7).replace('-', '')}`;
        await call(stack, 'feng.lei', 'POST', `/delivery-notes/${note.deliveryNoteId}/goods-issue`, {
          lines: lines.map((l) => ({ lineNo: l.lineNo, batch: `${batch}-${String(l.lineNo).padStart(2, '0')}`, weightKg: l.weightKg ?? new Decimal(l.quantity).times('0.8').toFixed(1) })),
          vehicle: sale.vehicle,
        });
        if (!pickup) {
          past.carrierId ??= (await call<{ items: { carrierId: string; name: string }[] }>(stack, 'he.jun', 'GET', '/carriers?qualified=true')).items.find((c) => c.name.includes('Shunda'))!.carrierId;
          await call(stack, 'he.jun', 'POST', `/delivery-notes/${note.deliveryNoteId}/dispatch`, { carrierId: past.carrierId, trackingNumber: `SD${bankReference(past, sale.shipped, Number(sale.key.slice(1)))}` });
        }
        await stack.stepFunctions.idle();
      },
    },
  ];
  if (sale.delayed) {
    const { daysAgo, note } = sale.delayed;
    steps.push({ daysAgo, time: '16:00', what: `${sale.key}: delayed`, run: async (past) => void (await call(past.stack, 'he.jun', 'POST', `/delivery-notes/${saleOf(past, sale.key).deliveryNoteId}/events`, { kind: 'DELAYED', note })) });
  }
  steps.push({
    daysAgo: sale.delivered,
    time: pickup ? '10:30' : '15:00',
    what: `${sale.key}: signed for`,
    run: async (past) => {
      const { stack } = past;
      const current = saleOf(past, sale.key);
      const note = await call<Note>(stack, 'wu.fang', 'GET', `/delivery-notes/${current.deliveryNoteId}`);
      // R-FULFIL-7: the customer signs for what came; the workflow invoices it (R-BILL-1).
      await call(stack, pickup ? 'feng.lei' : 'he.jun', 'POST', `/delivery-notes/${current.deliveryNoteId}/proof-of-delivery`, {
        signer: sale.signer,
        signedAt: nowIso(),
        lines: note.lines.map((l) => ({ lineNo: l.lineNo, received: l.quantity })),
      });
      await stack.stepFunctions.idle();
      const invoiced = await call<Note>(stack, 'wu.fang', 'GET', `/delivery-notes/${current.deliveryNoteId}`);
      if (!invoiced.invoiceId) throw new Error(`demo data: ${sale.key} ${current.deliveryNoteId} was not invoiced`);
      current.invoiceId = invoiced.invoiceId;
    },
  });
  return steps;
}

/**
 * A bank transfer received `daysAgo`: for the invoices of the sales named (in that order), of
 * `amount` or, without one, what they still have outstanding; naming none, the oldest due first.
 */
function payment(p: { daysAgo: number; customerId: string; sales?: string[]; amount?: number; bank: string; remarks: string }): Step {
  return {
    daysAgo: p.daysAgo,
    time: '11:00',
    what: `payment ${p.customerId} ${p.sales?.join(', ') ?? 'oldest first'}`,
    run: async (past) => {
      const invoices = await Promise.all((p.sales ?? []).map((key) => invoiceOf(past, key)));
      const amount = p.amount !== undefined ? yuan(p.amount) : { amountMinor: invoices.reduce((s, i) => s + i.outstanding.amountMinor, 0), currency: 'CNY' };
      await call(past.stack, 'wu.fang', 'POST', '/payments', {
        customerId: p.customerId,
        method: 'BANK_TRANSFER',
        bankReference: `${p.bank} ${bankReference(past, p.daysAgo, 42)}`,
        amount,
        receivedOn: dayOf(past, p.daysAgo),
        ...(invoices.length > 0 ? { invoices: invoices.map((i) => i.invoiceId) } : {}),
        remarks: p.remarks,
      });
    },
  };
}

/** R-BILL-4: an allowance asked for by the rep and approved by the sales manager at once (its approval would time out on the machine's clock). */
function allowance(a: { daysAgo: number; sale: string; amount: number; reason: string }): Step {
  return {
    daysAgo: a.daysAgo,
    time: '14:00',
    what: `allowance on ${a.sale}`,
    run: async (past) => {
      const invoice = await invoiceOf(past, a.sale);
      const note = await call<{ creditNoteId: string }>(past.stack, 'wang.qiang', 'POST', '/credit-notes', { invoiceId: invoice.invoiceId, amount: yuan(a.amount), reason: a.reason });
      await decideTaskAbout(past.stack, 'liu.yang', note.creditNoteId, { outcome: 'APPROVED', comment: '同意，按合同延期交货条款 agreed under the contract’s late-delivery clause' });
    },
  };
}

/** R-RETURN-1..4: a quality return asked for by customer service, inspected by the plant's QC, approved by the sales manager, the goods back for repair and its credit note. */
function qualityReturn(r: { sale: string; asked: number; inspected: number; received: number; quantity: string; reason: string }): Step[] {
  let returnId = '';
  return [
    {
      daysAgo: r.asked,
      time: '09:45',
      what: `return on ${r.sale}`,
      run: async (past) => {
        const invoice = await invoiceOf(past, r.sale);
        const asked = await call<{ returnId: string }>(past.stack, 'ma.lin', 'POST', '/returns', { invoiceId: invoice.invoiceId, kind: 'QUALITY', lines: [{ lineNo: 1, quantity: r.quantity }], reason: r.reason, customerReference: 'ECC-QC-0417' });
        returnId = asked.returnId;
        await past.stack.stepFunctions.idle();
      },
    },
    {
      daysAgo: r.inspected,
      time: '14:30',
      what: `return on ${r.sale}: inspected and approved`,
      run: async (past) => {
        await call(past.stack, 'xu.gang', 'POST', `/returns/${returnId}/inspection`, {
          defectConfirmed: true,
          findings: '绝缘层挤压损伤，耐压试验不合格 insulation crushed on one drum; fails the withstand-voltage test',
          rootCause: '装车时电缆盘未固定 cable drum not chocked when loaded',
          responsibleParty: 'WAREHOUSE',
        });
        await decideTaskAbout(past.stack, 'liu.yang', returnId, { outcome: 'APPROVED', comment: '退回返修，按退回数量开红字 back for repair; credit what comes back' });
      },
    },
    {
      daysAgo: r.received,
      time: '10:15',
      what: `return on ${r.sale}: goods back`,
      run: async (past) => {
        // R-RETURN-3: back to the plant for repair (not into stock); the credit note for what came back is issued with it.
        await call(past.stack, 'feng.lei', 'POST', `/returns/${returnId}/receipt`, { lines: [{ lineNo: 1, quantity: r.quantity, disposition: 'REPAIR' }], note: '整盘送电缆车间返修 drum sent to the cable shop for repair' });
        await past.stack.stepFunctions.idle();
      },
    },
  ];
}

/** Everything the six months hold besides the daily jobs, statements' sending, and customers joining. */
export function pastSteps(): Step[] {
  return [
    ...SALES.flatMap(saleSteps),
    payment({ daysAgo: 119, customerId: ECC, sales: ['E1'], bank: '工行 ICBC', remarks: 'ECC-PO-2106 货款 payment' }),
    payment({ daysAgo: 101, customerId: ECC, sales: ['E2'], bank: '工行 ICBC', remarks: 'ECC-PO-2118 货款 payment' }),
    payment({ daysAgo: 72, customerId: ECC, sales: ['E3'], amount: 60_000, bank: '工行 ICBC', remarks: '部分付款，余款月底 part payment, the rest at month end' }),
    payment({ daysAgo: 57, customerId: ECC, sales: ['E3'], bank: '工行 ICBC', remarks: 'ECC-PO-2131 余款 the rest' }),
    allowance({ daysAgo: 112, sale: 'E4', amount: 5_000, reason: '延迟交货 3 天，价格折让 price concession for a delivery 3 days late (road closure)' }),
    payment({ daysAgo: 59, customerId: ECC, sales: ['E4'], bank: '工行 ICBC', remarks: 'ECC-PO-2140 货款（扣折让）payment less the allowance' }),
    ...qualityReturn({ sale: 'E5', asked: 100, inspected: 99, received: 97, quantity: '200', reason: '一盘电缆绝缘层破损 one drum (200 m) arrived with damaged insulation' }),
    payment({ daysAgo: 36, customerId: ECC, sales: ['E5'], bank: '工行 ICBC', remarks: 'ECC-PO-2152 货款（扣退货）payment less the return' }),

    payment({ daysAgo: 141, customerId: WUXI, sales: ['W1'], bank: '建行 CCB', remarks: '货款 payment' }),
    payment({ daysAgo: 104, customerId: WUXI, sales: ['W2'], bank: '建行 CCB', remarks: '货款，逾期 late payment' }),
    // Named nothing: the oldest invoice due first (R-BILL-3), part of W3.
    payment({ daysAgo: 40, customerId: WUXI, amount: 30_000, bank: '建行 CCB', remarks: '资金紧张，先付部分 cash is tight: part payment, the rest promised' }),
  ];
}

/** Finance sends last month's statements on the 3rd; East China Construction confirms a few days later. */
export function statementSteps(today: string, start: string): Step[] {
  const steps: Step[] = [];
  const daysAgo = (day: string) => Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
  for (let first = `${start.slice(0, 7)}-01`; ; ) {
    const month = first.slice(0, 7);
    first = `${addDays(`${month}-28`, 4).slice(0, 7)}-01`;
    const sendOn = addDays(first, 2);
    const answerOn = addDays(first, 8);
    if (sendOn >= today) break;
    steps.push({
      daysAgo: daysAgo(sendOn),
      time: '10:30',
      what: `statements of ${month} sent`,
      run: async ({ stack }) => {
        const list = await call<{ items: { statementId: string }[] }>(stack, 'wu.fang', 'GET', `/statements?month=${month}&limit=100`);
        for (const s of list.items) await call(stack, 'wu.fang', 'POST', `/statements/${s.statementId}/sending`);
      },
    });
    if (answerOn < today) {
      steps.push({
        daysAgo: daysAgo(answerOn),
        time: '15:30',
        what: `statement of ${month} confirmed`,
        run: async ({ stack }) => {
          const id = `ST-${ECC}-${month}`;
          if (await find(stack, 'wu.fang', `/statements/${id}`)) await call(stack, 'wu.fang', 'POST', `/statements/${id}/confirmation`, { outcome: 'CONFIRMED', confirmedBy: '张伟 Zhang Wei', on: addDays(today, -daysAgo(answerOn)) });
        },
      });
    }
  }
  return steps;
}

/** The jobs the schedules would have run that day, each at its hour (infra/definitions: SCHEDULES). */
export async function dailyJobs(stack: LocalStack, day: string, options: { moveClock: boolean } = { moveClock: true }): Promise<void> {
  const run = async (time: string, job: string) => {
    if (options.moveClock) clockAt(day, time);
    const result = (await stack.runJob(job)) as { failed?: number | unknown[] };
    const failed = Array.isArray(result?.failed) ? result.failed.length : (result?.failed ?? 0);
    if (failed) throw new Error(`demo data: ${job} on ${day} failed: ${JSON.stringify(result)}`);
  };
  await run('01:30', 'credit-holds-due');
  if (day.endsWith('-01')) {
    await run('04:00', 'statements-due');
    await run('05:00', 'month-end-reconciliation');
  }
  await run('08:00', 'receivables-due');
  if (settings().salesSummaryDays.includes(Number(day.slice(8)))) await run('09:00', 'sales-summaries');
}

/**
 * From the day after `start` to yesterday: each day's jobs, then its steps in the order of their
 * time. The clock is left on yesterday; the caller puts it back (setClock(undefined)).
 */
export async function runPast(stack: LocalStack, today: string, start: string, steps: readonly Step[]): Promise<void> {
  const past: Past = { stack, today, sales: new Map() };
  const startAgo = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
  const misplaced = steps.filter((s) => s.daysAgo >= startAgo || s.daysAgo < 1);
  if (misplaced.length > 0) throw new Error(`demo data: steps outside the past: ${misplaced.map((s) => s.what).join(', ')}`);
  const byDay = new Map<number, Step[]>();
  for (const s of steps) byDay.set(s.daysAgo, [...(byDay.get(s.daysAgo) ?? []), s]);
  for (let ago = startAgo - 1; ago >= 1; ago--) {
    const day = addDays(today, -ago);
    await dailyJobs(stack, day);
    // Stable: steps at the same time keep the order they were given in.
    for (const step of [...(byDay.get(ago) ?? [])].sort((a, b) => a.time.localeCompare(b.time))) {
      clockAt(day, step.time);
      try {
        await step.run(past);
      } catch (err) {
        throw new Error(`demo data, ${day} (${step.what}): ${(err as Error).message}`, { cause: err });
      }
    }
  }
}
