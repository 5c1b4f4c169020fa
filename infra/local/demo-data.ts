/**
 * Demo data for a first start: a business with six months of past and orders in every state today.
 *
 * Six months ago (the clock moved there): products, carriers, assignment rules, opening stock, the
 * customers of two sales reps with their credit decided, price lists approved through their chain.
 * Then the six months day by day (demo-past.ts): sales invoiced, paid on time and late, an allowance,
 * a quality return, one customer put on credit hold by the daily job, statements every month end,
 * receivable alerts and sales summaries as the schedules would have made them. Today (the clock back):
 * today's jobs, the six-monthly credit reviews that came due, a new customer waiting for its review,
 * and orders in every state of review, credit and stock (one order waiting for production), goods
 * held, samples, and an order collected at the gate, invoiced and part paid. Everything is loaded
 * through the API with demo users' tokens, so it passes the same rules as anything a user enters.
 */
import { addDays, addMonths, businessDate, nowIso, setClock } from '../../functions/shared/clock.js';
import { call, decideTaskAbout, yuan } from './demo-api.js';
import { ADDRESSES, ECC, SUZHOU, WUXI, clockAt, dailyJobs, pastShipments, pastSteps, runPast, statementSteps, type Step } from './demo-past.js';
import type { LocalStack } from './stack.js';

const PRODUCTS = [
  { productCode: 'HRC-Q235', name: '热轧卷板 Hot-rolled coil Q235', specifications: ['2.0x1250', '3.0x1500', '4.0x1500'], unit: 't', quantityScale: 3, productType: 'manufactured', taxRateBasisPoints: 1300, leadTimeDays: 7, weightKgPerUnit: '1000' },
  { productCode: 'RB-HRB400', name: '螺纹钢 Rebar HRB400', specifications: ['Φ12', 'Φ16', 'Φ20', 'Φ25'], unit: 't', quantityScale: 3, productType: 'manufactured', taxRateBasisPoints: 1300, leadTimeDays: 5, weightKgPerUnit: '1000' },
  { productCode: 'CBL-YJV-3X95', name: '电力电缆 Power cable YJV 3x95', specifications: ['0.6/1kV'], unit: 'm', quantityScale: 1, productType: 'manufactured', taxRateBasisPoints: 1300, leadTimeDays: 10, weightKgPerUnit: '3.45' },
  { productCode: 'VLV-DN50', name: '闸阀 Gate valve DN50', specifications: ['PN16', 'PN25'], unit: 'pcs', quantityScale: 0, productType: 'traded', taxRateBasisPoints: 1300, leadTimeDays: 3, weightKgPerUnit: '12.5' },
  { productCode: 'GLV-NITRILE', name: '丁腈手套 Nitrile gloves', specifications: ['M', 'L', 'XL'], unit: 'box', quantityScale: 0, productType: 'traded', taxRateBasisPoints: 1300, leadTimeDays: 0 },
];

/**
 * The stock left today in the company warehouse (R-FULFIL-2). Received as opening stock six months
 * ago together with what the past shipped since, so that today's orders find what they found before.
 */
const STOCK_TODAY = [
  { productCode: 'HRC-Q235', specification: '3.0x1500', quantity: '180.5', source: 'PRODUCTION' },
  { productCode: 'HRC-Q235', specification: '4.0x1500', quantity: '40', source: 'PRODUCTION' },
  { productCode: 'RB-HRB400', specification: 'Φ16', quantity: '30', source: 'PRODUCTION' },
  { productCode: 'RB-HRB400', specification: 'Φ25', quantity: '50', source: 'PRODUCTION' },
  { productCode: 'CBL-YJV-3X95', specification: '0.6/1kV', quantity: '2000', source: 'PRODUCTION' },
  { productCode: 'VLV-DN50', specification: 'PN16', quantity: '120', source: 'PURCHASE', reference: '供应商送货单 supplier note FV-0031' },
  { productCode: 'GLV-NITRILE', specification: 'L', quantity: '400', source: 'PURCHASE', reference: '供应商送货单 supplier note GL-0107' },
];

/** The opening stock of six months ago: what is left today plus what the past shipped (specifications sold out since included). */
function openingStock(start: string) {
  const shipped = pastShipments();
  const receipts = STOCK_TODAY.map((r) => ({ ...r, quantity: shipped.get(`${r.productCode} ${r.specification}`)?.plus(r.quantity).toString() ?? r.quantity }));
  for (const [key, quantity] of shipped) {
    const [productCode, specification] = key.split(' ') as [string, string];
    if (!STOCK_TODAY.some((r) => r.productCode === productCode && r.specification === specification)) {
      const traded = PRODUCTS.find((p) => p.productCode === productCode)?.productType === 'traded';
      receipts.push({ productCode, specification, quantity: quantity.toString(), source: traded ? 'PURCHASE' : 'PRODUCTION' });
    }
  }
  const yymm = start.slice(2, 7).replace('-', '');
  return receipts.map((r, i) => ({ reference: '期初库存 opening stock', ...r, ...(r.source === 'PRODUCTION' ? { batch: `B-${yymm}-${String(i + 1).padStart(2, '0')}` } : {}) }));
}

interface DemoCustomer {
  /** When the customer came: the first day of the six months, that many days ago, or today. */
  joins: 'start' | 'today' | number;
  owner: string;
  body: Record<string, unknown>;
  /** Finance's first credit review. */
  decision?: Record<string, unknown>;
  /** Finance's word at the six-monthly review, due today. */
  review?: string;
}

/**
 * The customers, in the order they came (their numbers follow it): three since the start of the
 * six months, a cash customer a month later, and a prospect today whose credit review waits for finance.
 */
function customers(start: string, today: string): DemoCustomer[] {
  const contract = (n: string) => ({ number: `HT-${start.slice(0, 4)}-${n}`, validFrom: `${start.slice(0, 4)}-01-01`, validTo: `${Number(today.slice(0, 4)) + 1}-12-31` });
  return [
    {
      joins: 'start',
      owner: 'wang.qiang',
      body: {
        name: '华东建工集团有限公司 East China Construction Group',
        taxId: '91310000MA1FL1234X',
        contacts: [{ name: '张伟 Zhang Wei', title: '采购经理 Purchasing manager', phone: '+86 21 5555 0101', email: 'zhang.wei@ecc.example' }],
        addresses: [{ ...ADDRESSES[ECC], postalCode: '201203' }],
        region: 'East',
        businessScope: '建筑施工、钢结构工程 Construction, steel structures',
        class: 'key',
        industry: 'construction',
        size: 'large',
        purchaseFrequency: 'weekly',
        fulfilmentMode: 'delivery',
      },
      decision: { outcome: 'APPROVED', rating: 'A', creditLimit: { amountMinor: 500_000_000, currency: 'CNY' }, paymentTermsDays: 60, contract: contract('0018'), guaranteeOnFile: false, comment: '十年老客户，付款良好 Ten-year customer, pays on time' },
      review: '半年复评：基本按期付款，两次逾期已结清 six-monthly review: mostly on time, two late payments settled',
    },
    {
      joins: 'start',
      owner: 'wang.qiang',
      body: {
        name: '苏州精工机械厂 Suzhou Precision Machinery',
        contacts: [{ name: '刘芳 Liu Fang', phone: '+86 512 6666 0202' }],
        addresses: [{ label: '厂区 Plant', line1: ADDRESSES[SUZHOU].line1, city: ADDRESSES[SUZHOU].city, region: ADDRESSES[SUZHOU].region }],
        region: 'East',
        businessScope: '机械加工 Machining',
        class: 'regular',
        fulfilmentMode: 'delivery',
      },
      decision: { outcome: 'APPROVED', rating: 'C', creditLimit: { amountMinor: 20_000_000, currency: 'CNY' }, paymentTermsDays: 30, guaranteeOnFile: true, comment: '需担保 Guarantee on file' },
      review: '半年复评：预付款客户，无合同 six-monthly review: prepays, still no contract',
    },
    {
      joins: 'start',
      owner: 'wang.qiang',
      body: {
        name: '无锡恒通贸易有限公司 Wuxi Hengtong Trading',
        taxId: '91320200MA1XY5678K',
        contacts: [{ name: '陈静 Chen Jing', title: '财务 Accounts', phone: '+86 510 8888 0505' }],
        addresses: [{ label: '仓库 Warehouse', line1: ADDRESSES[WUXI].line1, city: ADDRESSES[WUXI].city, region: ADDRESSES[WUXI].region }],
        region: 'East',
        businessScope: '钢材贸易 Steel trading',
        class: 'regular',
        fulfilmentMode: 'delivery',
      },
      decision: { outcome: 'APPROVED', rating: 'B', creditLimit: { amountMinor: 30_000_000, currency: 'CNY' }, paymentTermsDays: 30, contract: contract('0042'), guaranteeOnFile: false },
      // R-CREDIT-5: the daily job stopped supply when its oldest invoice passed 30 days overdue; today's order waits in CREDIT_HOLD for the GM.
      review: '半年复评：三张发票逾期，停止供货至付清 six-monthly review: three invoices overdue, supply stopped until paid',
    },
    {
      joins: 150,
      owner: 'li.na',
      body: {
        name: '老李五金店 Lao Li Hardware',
        contacts: [{ name: '李建国 Li Jianguo', phone: '138 0000 0303' }],
        addresses: [],
        region: 'West',
        businessScope: '五金零售 Hardware retail',
        class: 'regular',
        fulfilmentMode: 'pickup',
      },
      decision: { outcome: 'REJECTED', comment: '零售自提客户，现款提货，不给信用 retail pickup customer: cash at the gate, no credit' },
    },
    {
      joins: 'today',
      owner: 'li.na',
      body: {
        name: '成都天府电力工程公司 Chengdu Tianfu Power Engineering',
        contacts: [{ name: '王磊 Wang Lei', email: 'wang.lei@tfpower.example' }],
        addresses: [{ label: '总部 Head office', line1: '高新区天府大道 1000 号', city: '成都 Chengdu', region: '四川 Sichuan' }],
        region: 'West',
        businessScope: '电力工程 Power engineering',
        class: 'potential',
        fulfilmentMode: 'delivery',
      },
    },
  ];
}

/** The customers created so far, and their numbers. */
const customerIds = new WeakMap<DemoCustomer, string>();

/** A customer created by its rep; finance decides its first credit review at once (it would time out on the machine's clock). */
async function addCustomer(stack: LocalStack, c: DemoCustomer): Promise<void> {
  const { customerId } = await call<{ customerId: string }>(stack, c.owner, 'POST', '/customers', c.body);
  customerIds.set(c, customerId);
  if (c.decision) await decideTaskAbout(stack, 'wu.fang', customerId, c.decision);
}

/** The general price list (R-PRICE-1) and East China Construction's own list (R-PRICE-2). */
const PRICE_LISTS = [
  {
    path: 'GENERAL',
    items: [
      { productCode: 'HRC-Q235', listPrice: yuan(4200), minimumPrice: yuan(3950) },
      { productCode: 'RB-HRB400', listPrice: yuan(3900), minimumPrice: yuan(3700) },
      { productCode: 'CBL-YJV-3X95', listPrice: yuan(68.5), minimumPrice: yuan(64) },
      { productCode: 'VLV-DN50', specification: 'PN16', listPrice: yuan(260), minimumPrice: yuan(240) },
      { productCode: 'VLV-DN50', specification: 'PN25', listPrice: yuan(320), minimumPrice: yuan(295) },
      { productCode: 'GLV-NITRILE', listPrice: yuan(45), minimumPrice: yuan(40) },
    ],
    // clerk drafts; sales manager reviews; GM approves
    deciders: ['liu.yang', 'zhou.wei'],
  },
  {
    path: ECC,
    items: [{ productCode: 'HRC-Q235', listPrice: yuan(4100), minimumPrice: yuan(3900) }],
    deciders: ['liu.yang'],
  },
];

/** The carrier register (R-FULFIL-6), kept by logistics: two qualified carriers and one still in its audit. */
const carriers = (today: string) => [
  {
    name: '顺达物流 Shunda Logistics',
    contact: { name: '赵刚 Zhao Gang', phone: '+86 21 6000 1234' },
    vehicleTypes: ['平板车 flatbed 13 m', '厢式货车 box truck 7.6 m'],
    serviceNotes: '华东 East China; steel coil and rebar up to 30 t',
    qualification: { qualified: true, qualifiedUntil: addMonths(today, 12), reason: '年度审核通过 annual audit passed: licences, insurance, two test runs' },
  },
  {
    name: '西部快运 Western Express Freight',
    contact: { name: '何丽 He Li', phone: '+86 28 8500 2345' },
    vehicleTypes: ['厢式货车 box truck 9.6 m'],
    serviceNotes: '西南 Sichuan and Chongqing; cable drums and boxed goods',
    qualification: { qualified: true, qualifiedUntil: addMonths(today, 6), reason: '资质审核通过 qualification audit passed, six-month trial' },
  },
  {
    name: '通达运输 Tongda Transport',
    contact: { name: '孙浩 Sun Hao', phone: '+86 512 6700 3456' },
    vehicleTypes: ['吊车 crane truck'],
    qualification: { qualified: false, reason: '审核中：缺道路运输许可证复印件 audit pending: road transport licence copy missing' },
  },
];

/** Who takes an approved order (R-FULFIL-1), kept by the admin: per product type in the demo regions, and the order desk for the rest. */
const ASSIGNMENT_RULES = [
  { ruleId: 'EAST-MADE', productType: 'manufactured', region: 'East', department: 'production', assigneeUserId: 'xu.gang', dueInDays: 5, remark: '华东订单由一厂生产 plant 1 makes for East' },
  { ruleId: 'WEST-MADE', productType: 'manufactured', region: 'West', department: 'production', assigneeUserId: 'xu.gang', dueInDays: 7, remark: '西部路远 longer haul to the West' },
  { ruleId: 'EAST-TRADED', productType: 'traded', region: 'East', department: 'warehouse', assigneeUserId: 'feng.lei', dueInDays: 2 },
  { ruleId: 'WEST-TRADED', productType: 'traded', region: 'West', department: 'warehouse', assigneeUserId: 'feng.lei', dueInDays: 3 },
  { ruleId: 'ANY-ANY', productType: '*', region: '*', department: 'order_desk', assigneeUserId: 'chen.jie', dueInDays: 1, remark: '其他地区由订单中心人工分派 other regions: the order desk assigns by hand' },
];

const inAMonth = () => addDays(businessDate(), 30);

/** Orders in every state of review, credit and stock: goods reserved, at the order desk, waiting for the GM and the sales manager, a draft; over the limit, prepaid, on hold; waiting for production. */
async function loadOrders(stack: LocalStack): Promise<void> {
  const order = async (user: string, body: Record<string, unknown>, submit: boolean) => {
    const created = await call<{ orderId: string }>(stack, user, 'POST', '/orders', body);
    if (submit) await call(stack, user, 'POST', `/orders/${created.orderId}/submission`);
    await stack.stepFunctions.idle();
    return created.orderId;
  };
  const base = { customerId: ECC, requestedDeliveryDate: inAMonth(), delivery: { mode: 'delivery', address: ADDRESSES[ECC] }, paymentMethod: 'credit' };
  const approved = await order('wang.qiang', { ...base, channel: 'phone', lines: [{ productCode: 'HRC-Q235', specification: '3.0x1500', quantity: '25.5' }, { productCode: 'RB-HRB400', specification: 'Φ16', quantity: '12' }] }, true);
  await decideTaskAbout(stack, 'chen.jie', approved, { outcome: 'APPROVED', comment: '常规订单 regular order' });
  // R-FULFIL-3/5: the coil goes first; the clerk's delivery note waits for finance's sign-off.
  await call(stack, 'zhao.min', 'POST', `/orders/${approved}/delivery-notes`, { lines: [{ lineNo: 1, quantity: '25.5' }] });
  await order('wang.qiang', { ...base, channel: 'email', customerReference: 'ECC-PO-2211', lines: [{ productCode: 'RB-HRB400', specification: 'Φ20', quantity: '30' }] }, true);
  // 3,800.00 is under the customer's minimum of 3,900.00: the GM, then the VP sales, must approve (R-PRICE-3).
  await order('wang.qiang', { ...base, channel: 'visit', lines: [{ productCode: 'HRC-Q235', specification: '4.0x1500', quantity: '60', unitPrice: yuan(3800) }] }, true);
  // Credit sale without a contract on file: the sales manager decides (R-CREDIT-3, R-REVIEW-4).
  await order('wang.qiang', { ...base, customerId: SUZHOU, channel: 'fax', delivery: { mode: 'delivery', address: ADDRESSES[SUZHOU] }, lines: [{ productCode: 'VLV-DN50', specification: 'PN25', quantity: '40' }] }, true);
  await order('wang.qiang', { customerId: ECC, channel: 'mobile', lines: [{ productCode: 'CBL-YJV-3X95', quantity: '500.5' }] }, false);

  // The credit stage (R-CREDIT-4..6): over the limit, waiting for the finance manager; prepaid, waiting for finance; on hold.
  const overLimit = await order('wang.qiang', { ...base, channel: 'visit', customerReference: 'ECC-PO-2230', lines: [{ productCode: 'HRC-Q235', specification: '3.0x1500', quantity: '1100' }] }, true);
  await decideTaskAbout(stack, 'chen.jie', overLimit, { outcome: 'APPROVED', comment: '大单，请财务审批信用 large order, credit to decide' });
  const prepaid = await order('wang.qiang', { ...base, customerId: SUZHOU, channel: 'phone', paymentMethod: 'prepaid', delivery: { mode: 'delivery', address: ADDRESSES[SUZHOU] }, lines: [{ productCode: 'VLV-DN50', specification: 'PN16', quantity: '20' }] }, true);
  // No tax id on file (R-REVIEW-4): the sales manager approves before the order desk.
  await decideTaskAbout(stack, 'liu.yang', prepaid, { outcome: 'APPROVED', comment: '税号补录中 tax id being added' });
  await decideTaskAbout(stack, 'chen.jie', prepaid, { outcome: 'APPROVED' });
  // More rebar than the warehouse has: what exists is reserved, production makes the rest (R-FULFIL-2).
  const short = await order('wang.qiang', { ...base, channel: 'phone', customerReference: 'ECC-PO-2241', lines: [{ productCode: 'RB-HRB400', specification: 'Φ25', quantity: '65' }] }, true);
  await decideTaskAbout(stack, 'chen.jie', short, { outcome: 'APPROVED' });
  // Wuxi Hengtong has been on credit hold since its oldest invoice passed 30 days overdue (R-CREDIT-5): the order waits for the GM.
  const held = await order('wang.qiang', { ...base, customerId: WUXI, channel: 'email', delivery: { mode: 'delivery', address: ADDRESSES[WUXI] }, lines: [{ productCode: 'RB-HRB400', specification: 'Φ12', quantity: '8' }] }, true);
  await decideTaskAbout(stack, 'chen.jie', held, { outcome: 'APPROVED' });
}

/** Goods held for a customer and one waiting for the managers (R-FULFIL-8); samples waiting for approval and for the warehouse (R-FULFIL-10). */
async function loadRequests(stack: LocalStack): Promise<void> {
  const deposit = await call<{ reservationId: string }>(stack, 'wang.qiang', 'POST', '/goods-reservations', {
    customerId: ECC,
    lines: [{ productCode: 'VLV-DN50', specification: 'PN16', quantity: '30' }],
    deposit: { amount: yuan(5000), reference: '收据 RC-2611-018' },
    reason: '下周签合同 contract to be signed next week',
  });
  await decideTaskAbout(stack, 'wu.fang', deposit.reservationId, { outcome: 'APPROVED', comment: '定金已到账 deposit received' });
  await call(stack, 'wang.qiang', 'POST', '/goods-reservations', {
    customerId: ECC,
    lines: [{ productCode: 'RB-HRB400', specification: 'Φ16', quantity: '10' }],
    guarantee: '老客户，项目已中标 long-standing customer, project awarded',
  });
  const gloves = await call<{ requestId: string }>(stack, 'zhao.min', 'POST', '/sample-requests', {
    purpose: 'ADVERTISING',
    recipient: '华东五金展 East China hardware fair, booth B12',
    lines: [{ productCode: 'GLV-NITRILE', specification: 'L', quantity: '20' }],
    reason: '展会宣传 fair giveaways',
  });
  await decideTaskAbout(stack, 'liu.yang', gloves.requestId, { outcome: 'APPROVED' });
  await call(stack, 'wang.qiang', 'POST', '/sample-requests', {
    purpose: 'SAMPLE',
    customerId: SUZHOU,
    recipient: '质检部 quality department',
    lines: [{ productCode: 'VLV-DN50', specification: 'PN16', quantity: '2' }],
    reason: '试用后签框架协议 trial before a framework agreement',
  });
  await stack.stepFunctions.idle();
}

/** An order collected at the gate and signed for: invoiced (R-BILL-1), then part paid by bank transfer against that invoice (R-BILL-2/3). */
async function loadBilling(stack: LocalStack): Promise<void> {
  const today = businessDate();
  const created = await call<{ orderId: string }>(stack, 'wang.qiang', 'POST', '/orders', {
    customerId: ECC,
    channel: 'phone',
    requestedDeliveryDate: inAMonth(),
    delivery: { mode: 'pickup' },
    paymentMethod: 'credit',
    lines: [{ productCode: 'CBL-YJV-3X95', specification: '0.6/1kV', quantity: '300' }],
  });
  await call(stack, 'wang.qiang', 'POST', `/orders/${created.orderId}/submission`);
  await decideTaskAbout(stack, 'chen.jie', created.orderId, { outcome: 'APPROVED' });
  const note = await call<{ deliveryNoteId: string }>(stack, 'zhao.min', 'POST', `/orders/${created.orderId}/delivery-notes`, {});
  await call(stack, 'wu.fang', 'POST', `/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'CREDIT' });
  await call(stack, 'feng.lei', 'POST', `/delivery-notes/${note.deliveryNoteId}/goods-issue`, { lines: [{ lineNo: 1, batch: `C-${today.slice(2, 7).replace('-', '')}-07`, weightKg: '1260' }], vehicle: '沪B·66218' });
  await call(stack, 'feng.lei', 'POST', `/delivery-notes/${note.deliveryNoteId}/proof-of-delivery`, { signer: '王磊 Wang Lei', signedAt: nowIso(), lines: [{ lineNo: 1, received: '300' }] });
  await stack.stepFunctions.idle();
  const { invoiceId } = await call<{ invoiceId: string }>(stack, 'wu.fang', 'GET', `/delivery-notes/${note.deliveryNoteId}`);
  await call(stack, 'wu.fang', 'POST', '/payments', {
    customerId: ECC,
    method: 'BANK_TRANSFER',
    bankReference: `工行 ICBC ${today.replaceAll('-', '')}-0042`,
    amount: yuan(20_000),
    receivedOn: today,
    invoices: [invoiceId],
    remarks: '部分付款 part payment',
  });
}

/** Products, carriers, assignment rules, opening stock, the first customers and the price lists, on the first day of the six months. */
async function loadBeginning(stack: LocalStack, list: DemoCustomer[], start: string, today: string): Promise<void> {
  for (const product of PRODUCTS) await call(stack, 'liu.yang', 'POST', '/products', product);
  for (const carrier of carriers(today)) await call(stack, 'he.jun', 'POST', '/carriers', carrier);
  for (const { ruleId, ...rule } of ASSIGNMENT_RULES) await call(stack, 'admin', 'PUT', `/assignment-rules/${ruleId}`, rule);
  for (const receipt of openingStock(start)) await call(stack, 'feng.lei', 'POST', '/stock/receipts', receipt);
  for (const c of list.filter((c) => c.joins === 'start')) await addCustomer(stack, c);
  for (const priceList of PRICE_LISTS) {
    const draft = await call<{ priceListId: string; version: number }>(stack, 'zhao.min', 'POST', `/price-lists/${priceList.path}/versions`, { effectiveFrom: start, items: priceList.items });
    await call(stack, 'zhao.min', 'POST', `/price-lists/${priceList.path}/versions/${draft.version}/submission`);
    for (const decider of priceList.deciders) await decideTaskAbout(stack, decider, draft.priceListId, { outcome: 'APPROVED' });
  }
}

/**
 * R-CREDIT-1: the customers whose credit was approved six months ago are due for their periodic
 * review today; the nightly job starts it, and finance renews each at once (a review in progress
 * refuses credit sales, and its task would time out on the machine's clock).
 */
async function renewCreditReviews(stack: LocalStack, list: DemoCustomer[]): Promise<void> {
  await stack.runJob('credit-reviews-due');
  for (const c of list.filter((c) => c.joins === 'start' && c.decision?.outcome === 'APPROVED')) {
    await decideTaskAbout(stack, 'wu.fang', customerIds.get(c)!, { ...c.decision, comment: c.review });
  }
}

/** True if it loaded data; false if the store had data already (a restart). */
export async function loadDemoData(stack: LocalStack): Promise<boolean> {
  const existing = await call<{ items: unknown[] }>(stack, 'admin', 'GET', '/products?limit=1&includeRetired=true');
  if (existing.items.length > 0) return false;
  const today = businessDate();
  const start = addMonths(today, -6);
  const list = customers(start, today);
  const joining: Step[] = list.flatMap((c) => (typeof c.joins === 'number' ? [{ daysAgo: c.joins, time: '09:00', what: `customer ${String(c.body.name)}`, run: () => addCustomer(stack, c) }] : []));
  try {
    clockAt(start, '09:00');
    await loadBeginning(stack, list, start, today);
    await runPast(stack, today, start, [...joining, ...pastSteps(), ...statementSteps(today, start)]);
  } finally {
    setClock(undefined);
  }
  // Today: the jobs of the day, the credit reviews due, a new customer, and the orders in every state.
  await dailyJobs(stack, today, { moveClock: false });
  await renewCreditReviews(stack, list);
  for (const c of list.filter((c) => c.joins === 'today')) await addCustomer(stack, c);
  await loadOrders(stack);
  await loadRequests(stack);
  await loadBilling(stack);
  return true;
}
