/**
 * Demo data for a first start: products, carriers, assignment rules, customers of two sales reps, credit reviews in several
 * states, price lists, opening stock, and orders in every state of review, credit and stock (one
 * customer on credit hold, one order waiting for production). Loaded through the API with demo users' tokens, so it passes the same rules
 * as anything a user enters.
 */
import { addDays, addMonths, businessDate, nowIso } from '../../functions/shared/clock.js';
import type { LocalStack } from './stack.js';

async function call(stack: LocalStack, user: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await stack.tokenFor(user)}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`demo data: ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const PRODUCTS = [
  { productCode: 'HRC-Q235', name: '热轧卷板 Hot-rolled coil Q235', specifications: ['2.0x1250', '3.0x1500', '4.0x1500'], unit: 't', quantityScale: 3, productType: 'manufactured', taxRateBasisPoints: 1300, leadTimeDays: 7, weightKgPerUnit: '1000' },
  { productCode: 'RB-HRB400', name: '螺纹钢 Rebar HRB400', specifications: ['Φ12', 'Φ16', 'Φ20', 'Φ25'], unit: 't', quantityScale: 3, productType: 'manufactured', taxRateBasisPoints: 1300, leadTimeDays: 5, weightKgPerUnit: '1000' },
  { productCode: 'CBL-YJV-3X95', name: '电力电缆 Power cable YJV 3x95', specifications: ['0.6/1kV'], unit: 'm', quantityScale: 1, productType: 'manufactured', taxRateBasisPoints: 1300, leadTimeDays: 10, weightKgPerUnit: '3.45' },
  { productCode: 'VLV-DN50', name: '闸阀 Gate valve DN50', specifications: ['PN16', 'PN25'], unit: 'pcs', quantityScale: 0, productType: 'traded', taxRateBasisPoints: 1300, leadTimeDays: 3, weightKgPerUnit: '12.5' },
  { productCode: 'GLV-NITRILE', name: '丁腈手套 Nitrile gloves', specifications: ['M', 'L', 'XL'], unit: 'box', quantityScale: 0, productType: 'traded', taxRateBasisPoints: 1300, leadTimeDays: 0 },
];

/** Opening stock in the company warehouse (R-FULFIL-2), received by the warehouse. */
const OPENING_STOCK = [
  { productCode: 'HRC-Q235', specification: '3.0x1500', quantity: '180.5', source: 'PRODUCTION', reference: '期初库存 opening stock', batch: 'B-2611-01' },
  { productCode: 'HRC-Q235', specification: '4.0x1500', quantity: '40', source: 'PRODUCTION', reference: '期初库存 opening stock', batch: 'B-2611-03' },
  { productCode: 'RB-HRB400', specification: 'Φ16', quantity: '30', source: 'PRODUCTION', reference: '期初库存 opening stock', batch: 'B-2611-02' },
  { productCode: 'RB-HRB400', specification: 'Φ25', quantity: '50', source: 'PRODUCTION', reference: '期初库存 opening stock', batch: 'B-2611-04' },
  { productCode: 'CBL-YJV-3X95', specification: '0.6/1kV', quantity: '2000', source: 'PRODUCTION', reference: '期初库存 opening stock' },
  { productCode: 'VLV-DN50', specification: 'PN16', quantity: '120', source: 'PURCHASE', reference: '供应商送货单 supplier note FV-0031' },
  { productCode: 'GLV-NITRILE', specification: 'L', quantity: '400', source: 'PURCHASE', reference: '供应商送货单 supplier note GL-0107' },
];

const CUSTOMERS = [
  {
    owner: 'wang.qiang',
    body: {
      name: '华东建工集团有限公司 East China Construction Group',
      taxId: '91310000MA1FL1234X',
      contacts: [{ name: '张伟 Zhang Wei', title: '采购经理 Purchasing manager', phone: '+86 21 5555 0101', email: 'zhang.wei@ecc.example' }],
      addresses: [{ label: '工地仓库 Site warehouse', line1: '浦东新区张江路 88 号', city: '上海 Shanghai', region: '上海 Shanghai', postalCode: '201203' }],
      region: 'East',
      businessScope: '建筑施工、钢结构工程 Construction, steel structures',
      class: 'key',
      industry: 'construction',
      size: 'large',
      purchaseFrequency: 'weekly',
      fulfilmentMode: 'delivery',
    },
    decision: { outcome: 'APPROVED', rating: 'A', creditLimit: { amountMinor: 500_000_000, currency: 'CNY' }, paymentTermsDays: 60, contract: { number: 'HT-2026-0018', validFrom: '2026-01-01', validTo: '2027-12-31' }, guaranteeOnFile: false, comment: '十年老客户，付款良好 Ten-year customer, pays on time' },
  },
  {
    owner: 'wang.qiang',
    body: {
      name: '苏州精工机械厂 Suzhou Precision Machinery',
      contacts: [{ name: '刘芳 Liu Fang', phone: '+86 512 6666 0202' }],
      addresses: [{ label: '厂区 Plant', line1: '工业园区星湖街 328 号', city: '苏州 Suzhou', region: '江苏 Jiangsu' }],
      region: 'East',
      businessScope: '机械加工 Machining',
      class: 'regular',
      fulfilmentMode: 'delivery',
    },
    decision: { outcome: 'APPROVED', rating: 'C', creditLimit: { amountMinor: 20_000_000, currency: 'CNY' }, paymentTermsDays: 30, guaranteeOnFile: true, comment: '需担保 Guarantee on file' },
  },
  {
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
  {
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
  },
  {
    owner: 'wang.qiang',
    body: {
      name: '无锡恒通贸易有限公司 Wuxi Hengtong Trading',
      taxId: '91320200MA1XY5678K',
      contacts: [{ name: '陈静 Chen Jing', title: '财务 Accounts', phone: '+86 510 8888 0505' }],
      addresses: [{ label: '仓库 Warehouse', line1: '新吴区长江路 21 号', city: '无锡 Wuxi', region: '江苏 Jiangsu' }],
      region: 'East',
      businessScope: '钢材贸易 Steel trading',
      class: 'regular',
      fulfilmentMode: 'delivery',
    },
    decision: { outcome: 'APPROVED', rating: 'B', creditLimit: { amountMinor: 30_000_000, currency: 'CNY' }, paymentTermsDays: 30, contract: { number: 'HT-2026-0042', validFrom: '2026-01-01', validTo: '2027-12-31' }, guaranteeOnFile: false },
    // R-CREDIT-5: finance stopped supply by hand; its approved order waits in CREDIT_HOLD for the GM.
    hold: '发票逾期 45 天 Invoice 45 days overdue; customer promised payment next week',
  },
];

const yuan = (major: number) => ({ amountMinor: Math.round(major * 100), currency: 'CNY' });

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
    path: 'CU-000001',
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

const siteAddress = { label: '工地仓库 Site warehouse', line1: '浦东新区张江路 88 号', city: '上海 Shanghai', region: '上海 Shanghai' };
const inAMonth = () => addDays(businessDate(), 30);

async function decideTaskAbout(stack: LocalStack, userId: string, subjectId: string, decision: Record<string, unknown>) {
  await stack.stepFunctions.idle();
  const tasks = (await call(stack, userId, 'GET', '/tasks?limit=100')) as { items: { taskId: string; subject: { id: string } }[] };
  const task = tasks.items.find((t) => t.subject.id === subjectId);
  if (!task) throw new Error(`demo data: ${userId} has no task about ${subjectId}`);
  await call(stack, userId, 'POST', `/tasks/${task.taskId}/decision`, decision);
  await stack.stepFunctions.idle();
}

/** Orders in every state of review, credit and stock: goods reserved, at the order desk, waiting for the GM and the sales manager, a draft; over the limit, prepaid, on hold; waiting for production. */
async function loadOrders(stack: LocalStack): Promise<void> {
  const order = async (user: string, body: Record<string, unknown>, submit: boolean) => {
    const created = (await call(stack, user, 'POST', '/orders', body)) as { orderId: string };
    if (submit) await call(stack, user, 'POST', `/orders/${created.orderId}/submission`);
    await stack.stepFunctions.idle();
    return created.orderId;
  };
  const base = { customerId: 'CU-000001', requestedDeliveryDate: inAMonth(), delivery: { mode: 'delivery', address: siteAddress }, paymentMethod: 'credit' };
  const approved = await order('wang.qiang', { ...base, channel: 'phone', lines: [{ productCode: 'HRC-Q235', specification: '3.0x1500', quantity: '25.5' }, { productCode: 'RB-HRB400', specification: 'Φ16', quantity: '12' }] }, true);
  await decideTaskAbout(stack, 'chen.jie', approved, { outcome: 'APPROVED', comment: '常规订单 regular order' });
  // R-FULFIL-3/5: the coil goes first; the clerk's delivery note waits for finance's sign-off.
  await call(stack, 'zhao.min', 'POST', `/orders/${approved}/delivery-notes`, { lines: [{ lineNo: 1, quantity: '25.5' }] });
  await order('wang.qiang', { ...base, channel: 'email', customerReference: 'ECC-PO-2211', lines: [{ productCode: 'RB-HRB400', specification: 'Φ20', quantity: '30' }] }, true);
  // 3,800.00 is under the customer's minimum of 3,900.00: the GM, then the VP sales, must approve (R-PRICE-3).
  await order('wang.qiang', { ...base, channel: 'visit', lines: [{ productCode: 'HRC-Q235', specification: '4.0x1500', quantity: '60', unitPrice: yuan(3800) }] }, true);
  // Credit sale without a contract on file: the sales manager decides (R-CREDIT-3, R-REVIEW-4).
  await order('wang.qiang', { ...base, customerId: 'CU-000002', channel: 'fax', delivery: { mode: 'delivery', address: { label: 'Plant', line1: '工业园区星湖街 328 号', city: '苏州 Suzhou', region: '江苏 Jiangsu' } }, lines: [{ productCode: 'VLV-DN50', specification: 'PN25', quantity: '40' }] }, true);
  await order('wang.qiang', { customerId: 'CU-000001', channel: 'mobile', lines: [{ productCode: 'CBL-YJV-3X95', quantity: '500.5' }] }, false);

  // The credit stage (R-CREDIT-4..6): over the limit, waiting for the finance manager; prepaid, waiting for finance; on hold.
  const overLimit = await order('wang.qiang', { ...base, channel: 'visit', customerReference: 'ECC-PO-2230', lines: [{ productCode: 'HRC-Q235', specification: '3.0x1500', quantity: '1100' }] }, true);
  await decideTaskAbout(stack, 'chen.jie', overLimit, { outcome: 'APPROVED', comment: '大单，请财务审批信用 large order, credit to decide' });
  const suzhou = { label: 'Plant', line1: '工业园区星湖街 328 号', city: '苏州 Suzhou', region: '江苏 Jiangsu' };
  const prepaid = await order('wang.qiang', { ...base, customerId: 'CU-000002', channel: 'phone', paymentMethod: 'prepaid', delivery: { mode: 'delivery', address: suzhou }, lines: [{ productCode: 'VLV-DN50', specification: 'PN16', quantity: '20' }] }, true);
  // No tax id on file (R-REVIEW-4): the sales manager approves before the order desk.
  await decideTaskAbout(stack, 'liu.yang', prepaid, { outcome: 'APPROVED', comment: '税号补录中 tax id being added' });
  await decideTaskAbout(stack, 'chen.jie', prepaid, { outcome: 'APPROVED' });
  // More rebar than the warehouse has: what exists is reserved, production makes the rest (R-FULFIL-2).
  const short = await order('wang.qiang', { ...base, channel: 'phone', customerReference: 'ECC-PO-2241', lines: [{ productCode: 'RB-HRB400', specification: 'Φ25', quantity: '65' }] }, true);
  await decideTaskAbout(stack, 'chen.jie', short, { outcome: 'APPROVED' });
  const held = await order('wang.qiang', { ...base, customerId: 'CU-000005', channel: 'email', delivery: { mode: 'delivery', address: { label: 'Warehouse', line1: '新吴区长江路 21 号', city: '无锡 Wuxi', region: '江苏 Jiangsu' } }, lines: [{ productCode: 'RB-HRB400', specification: 'Φ12', quantity: '8' }] }, true);
  await decideTaskAbout(stack, 'chen.jie', held, { outcome: 'APPROVED' });
}

/** Goods held for a customer and one waiting for the managers (R-FULFIL-8); samples waiting for approval and for the warehouse (R-FULFIL-10). */
async function loadRequests(stack: LocalStack): Promise<void> {
  const deposit = (await call(stack, 'wang.qiang', 'POST', '/goods-reservations', {
    customerId: 'CU-000001',
    lines: [{ productCode: 'VLV-DN50', specification: 'PN16', quantity: '30' }],
    deposit: { amount: yuan(5000), reference: '收据 RC-2611-018' },
    reason: '下周签合同 contract to be signed next week',
  })) as { reservationId: string };
  await decideTaskAbout(stack, 'wu.fang', deposit.reservationId, { outcome: 'APPROVED', comment: '定金已到账 deposit received' });
  await call(stack, 'wang.qiang', 'POST', '/goods-reservations', {
    customerId: 'CU-000001',
    lines: [{ productCode: 'RB-HRB400', specification: 'Φ16', quantity: '10' }],
    guarantee: '老客户，项目已中标 long-standing customer, project awarded',
  });
  const gloves = (await call(stack, 'zhao.min', 'POST', '/sample-requests', {
    purpose: 'ADVERTISING',
    recipient: '华东五金展 East China hardware fair, booth B12',
    lines: [{ productCode: 'GLV-NITRILE', specification: 'L', quantity: '20' }],
    reason: '展会宣传 fair giveaways',
  })) as { requestId: string };
  await decideTaskAbout(stack, 'liu.yang', gloves.requestId, { outcome: 'APPROVED' });
  await call(stack, 'wang.qiang', 'POST', '/sample-requests', {
    purpose: 'SAMPLE',
    customerId: 'CU-000002',
    recipient: '质检部 quality department',
    lines: [{ productCode: 'VLV-DN50', specification: 'PN16', quantity: '2' }],
    reason: '试用后签框架协议 trial before a framework agreement',
  });
  await stack.stepFunctions.idle();
}

/** An order collected at the gate and signed for: invoiced (R-BILL-1), then part paid by bank transfer (R-BILL-2/3). */
async function loadBilling(stack: LocalStack): Promise<void> {
  const created = (await call(stack, 'wang.qiang', 'POST', '/orders', {
    customerId: 'CU-000001',
    channel: 'phone',
    requestedDeliveryDate: inAMonth(),
    delivery: { mode: 'pickup' },
    paymentMethod: 'credit',
    lines: [{ productCode: 'CBL-YJV-3X95', specification: '0.6/1kV', quantity: '300' }],
  })) as { orderId: string };
  await call(stack, 'wang.qiang', 'POST', `/orders/${created.orderId}/submission`);
  await decideTaskAbout(stack, 'chen.jie', created.orderId, { outcome: 'APPROVED' });
  const note = (await call(stack, 'zhao.min', 'POST', `/orders/${created.orderId}/delivery-notes`, {})) as { deliveryNoteId: string };
  await call(stack, 'wu.fang', 'POST', `/delivery-notes/${note.deliveryNoteId}/sign-off`, { basis: 'CREDIT' });
  await call(stack, 'feng.lei', 'POST', `/delivery-notes/${note.deliveryNoteId}/goods-issue`, { lines: [{ lineNo: 1, batch: 'C-2611-07', weightKg: '1260' }], vehicle: '沪B·66218' });
  await call(stack, 'feng.lei', 'POST', `/delivery-notes/${note.deliveryNoteId}/proof-of-delivery`, { signer: '王磊 Wang Lei', signedAt: nowIso(), lines: [{ lineNo: 1, received: '300' }] });
  await stack.stepFunctions.idle();
  await call(stack, 'wu.fang', 'POST', '/payments', {
    customerId: 'CU-000001',
    method: 'BANK_TRANSFER',
    bankReference: '工行 ICBC 20261120-0042',
    amount: yuan(20_000),
    receivedOn: businessDate(),
    remarks: '部分付款 part payment',
  });
}

/** True if it loaded data; false if the store had data already (a restart). */
export async function loadDemoData(stack: LocalStack): Promise<boolean> {
  const existing = (await call(stack, 'admin', 'GET', '/products?limit=1&includeRetired=true')) as { items: unknown[] };
  if (existing.items.length > 0) return false;
  for (const product of PRODUCTS) await call(stack, 'liu.yang', 'POST', '/products', product);
  for (const carrier of carriers(businessDate())) await call(stack, 'he.jun', 'POST', '/carriers', carrier);
  for (const { ruleId, ...rule } of ASSIGNMENT_RULES) await call(stack, 'admin', 'PUT', `/assignment-rules/${ruleId}`, rule);
  for (const receipt of OPENING_STOCK) await call(stack, 'feng.lei', 'POST', '/stock/receipts', receipt);
  for (const c of CUSTOMERS) {
    const created = (await call(stack, c.owner, 'POST', '/customers', c.body)) as { customerId: string };
    if (c.decision) await decideTaskAbout(stack, 'wu.fang', created.customerId, c.decision);
    if ('hold' in c && c.hold) await call(stack, 'wu.fang', 'POST', `/customers/${created.customerId}/credit-hold`, { reason: c.hold });
  }
  const today = businessDate();
  for (const list of PRICE_LISTS) {
    const draft = (await call(stack, 'zhao.min', 'POST', `/price-lists/${list.path}/versions`, { effectiveFrom: today, items: list.items })) as { priceListId: string; version: number };
    await call(stack, 'zhao.min', 'POST', `/price-lists/${list.path}/versions/${draft.version}/submission`);
    for (const decider of list.deciders) await decideTaskAbout(stack, decider, draft.priceListId, { outcome: 'APPROVED' });
  }
  await loadOrders(stack);
  await loadRequests(stack);
  await loadBilling(stack);
  return true;
}
