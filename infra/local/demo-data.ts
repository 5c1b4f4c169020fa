/**
 * Demo data for a first start: products, customers of two sales reps, and credit reviews in
 * several states. Loaded through the API with demo users' tokens, so it passes the same rules
 * as anything a user enters.
 */
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
];

/** True if it loaded data; false if the store had data already (a restart). */
export async function loadDemoData(stack: LocalStack): Promise<boolean> {
  const existing = (await call(stack, 'admin', 'GET', '/products?limit=1&includeRetired=true')) as { items: unknown[] };
  if (existing.items.length > 0) return false;
  for (const product of PRODUCTS) await call(stack, 'liu.yang', 'POST', '/products', product);
  for (const c of CUSTOMERS) {
    const created = (await call(stack, c.owner, 'POST', '/customers', c.body)) as { customerId: string };
    if (!c.decision) continue;
    await stack.stepFunctions.idle();
    const tasks = (await call(stack, 'wu.fang', 'GET', '/tasks?limit=100')) as { items: { taskId: string; subject: { id: string } }[] };
    const task = tasks.items.find((t) => t.subject.id === created.customerId);
    if (task) await call(stack, 'wu.fang', 'POST', `/tasks/${task.taskId}/decision`, c.decision);
  }
  await stack.stepFunctions.idle();
  return true;
}
