/**
 * The web console walked by its users in a real browser (Debian Chromium through playwright-core)
 * against the local stack: one order from the rep's first draft to the customer's payment, every
 * step done in the UI by the role that owns it, and each next user checking what they now see.
 * Screenshots of the main screens land in test-artifacts/web/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.js';
import { launchChromium, screenshot, seriousViolations, signedIn, type ConsolePage } from '../support/browser.js';
import { expectInvariantsHold } from '../support/invariants.js';
import { apiAs, startTestStack } from '../support/local-stack.js';
import { approvedCustomer, seedCatalogueAndPrices, yuan } from '../support/order-fixtures.js';

let stack: LocalStack;
let browser: Browser;
let customerId: string;
let carrierId: string;
const opened: ConsolePage[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  await seedCatalogueAndPrices(stack);
  // A limit of 12,000.00: the order below (3 t × 4,000.00 + 13% VAT = 13,560.00) goes 13% over it, to the finance manager (R-CREDIT-4).
  customerId = await approvedCustomer(stack, 'wang.qiang', '浦江机电设备有限公司 Pujiang Electromechanical', {}, { creditLimit: yuan(12_000) });
  const carrier = await apiAs(stack, 'he.jun').post('/carriers', {
    name: '东海物流 Donghai Freight',
    contact: { name: '调度 Dispatcher', phone: '+86 21 5555 0100' },
    vehicleTypes: ['平板车 flatbed 13 m'],
    qualification: { qualified: true, qualifiedUntil: '2099-12-31', reason: 'licence, insurance and safety audit checked' },
  });
  expect(carrier.status, JSON.stringify(carrier.body)).toBe(201);
  carrierId = carrier.body.carrierId;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A user's own browser session on the console. */
async function as(name: string): Promise<Page> {
  const session = await signedIn(browser, stack.url, new RegExp(name));
  opened.push(session);
  return session.page;
}

/** Lets the workflows settle (reviews, credit, stock, invoicing run after an answer), then reloads what the user sees. */
async function settled(page: Page): Promise<void> {
  await stack.stepFunctions.idle();
  await page.reload();
}

/** Clicks and waits for the API's answer to the change the click asked for (a POST, PATCH …), so what follows sees its effect. */
async function answered(page: Page, click: Promise<void>, path: RegExp): Promise<number> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() !== 'GET' && path.test(new URL(r.url()).pathname)), click]);
  return response.status();
}

const orderHeading = (page: Page, orderId: string) => page.getByRole('heading', { level: 1, name: new RegExp(orderId) });
const taskCard = (page: Page, subjectId: string) => page.getByRole('article', { name: new RegExp(subjectId) });

describe('web console: one order across its users', () => {
  it('R-INTAKE-1, R-REVIEW-3, R-CREDIT-4, R-FULFIL-3, R-FULFIL-4, R-FULFIL-6, R-BILL-1, R-BILL-3: rep drafts and submits, the order desk returns it, the rep amends it, the order desk approves, finance approves credit, the warehouse issues, logistics delivers, finance records the payment', async () => {
    // 1. The sales rep drafts the order; a bad quantity is refused by the API next to its field.
    const rep = await as('王强');
    await rep.getByRole('link', { name: '订单', exact: true }).click();
    await rep.getByRole('link', { name: '新建订单' }).click();
    await rep.getByLabel('客户', { exact: true }).selectOption(customerId);
    await rep.getByLabel('要求交货日期').fill('2099-01-15');
    await rep.getByLabel('行 1 · 产品').selectOption('PLATE-Q235');
    await rep.getByLabel('行 1 · 规格').selectOption('10mm');
    const quantity = rep.getByLabel(/^行 1 · 数量/);
    await quantity.fill('-3');
    await rep.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(() => quantity.getAttribute('aria-invalid')).toBe('true');
    const quantityMessage = await rep.locator(`#${await quantity.getAttribute('aria-describedby').then((ids) => ids!.split(' ').pop())}`).textContent();
    expect(quantityMessage).toMatch(/positive decimal/);
    await expect.poll(() => rep.getByRole('alert').textContent()).toContain('lines.0.quantity');
    await screenshot(rep, '01-new-order-field-error');
    await quantity.fill('2.5');
    await rep.getByRole('button', { name: '保存草稿' }).click();
    await orderHeading(rep, 'SO-').waitFor();
    const orderId = /#\/orders\/(SO-\d{4}-\d+)/.exec(rep.url())![1]!;
    await expect.poll(() => rep.getByRole('status').first().textContent()).toContain('草稿已保存');
    expect(await answered(rep, rep.getByRole('button', { name: '提交审核' }).click(), /\/submission$/)).toBe(202);
    await settled(rep);
    await expect.poll(() => orderHeading(rep, orderId).textContent()).toContain('审核中');
    await screenshot(rep, '02-order-in-review');

    // 2. The order desk returns it with a reason.
    const desk = await as('陈杰');
    await desk.getByRole('link', { name: '我的待办' }).click();
    const review = taskCard(desk, orderId);
    await expect.poll(() => review.textContent()).toContain('订单审核');
    await screenshot(desk, '03-order-desk-tasks');
    await review.getByLabel('备注').fill('请补充客户采购单号，数量改为 3 吨');
    expect(await answered(desk, review.getByRole('button', { name: '退回修改' }).click(), /\/decision$/)).toBe(200);
    await expect.poll(() => review.count()).toBe(0);

    // 3. The rep sees why, amends the order and submits it again.
    await settled(rep);
    await expect.poll(() => orderHeading(rep, orderId).textContent()).toContain('已退回');
    await expect.poll(() => rep.getByRole('alert').first().textContent()).toContain('请补充客户采购单号');
    await rep.getByRole('link', { name: '修改' }).click();
    await rep.getByRole('heading', { name: `修改订单 ${orderId}` }).waitFor();
    await expect.poll(() => rep.getByLabel(/^行 1 · 数量/).inputValue()).toBe('2.5');
    await rep.getByLabel(/^行 1 · 数量/).fill('3');
    await rep.getByLabel('客户采购单号').fill('PO-7788');
    await rep.getByRole('button', { name: '保存草稿' }).click();
    await orderHeading(rep, orderId).waitFor();
    await expect.poll(() => rep.locator('main').textContent()).toContain('PO-7788');
    await expect.poll(() => rep.locator('main').textContent()).toContain('¥13,560.00');
    expect(await answered(rep, rep.getByRole('button', { name: '提交审核' }).click(), /\/submission$/)).toBe(202);
    await stack.stepFunctions.idle();

    // 4. The order desk approves the amended order.
    await desk.reload();
    const secondRound = taskCard(desk, orderId);
    await expect.poll(() => secondRound.textContent()).toMatch(/审核轮次\s*2/);
    expect(await answered(desk, secondRound.getByRole('button', { name: '批准' }).click(), /\/decision$/)).toBe(200);
    await expect.poll(() => secondRound.count()).toBe(0);
    await stack.stepFunctions.idle();

    // 5. Over the limit: finance (the finance manager) approves the credit.
    const financeManager = await as('郑浩');
    await financeManager.getByRole('link', { name: '我的待办' }).click();
    const creditTask = taskCard(financeManager, orderId);
    await expect.poll(() => creditTask.textContent()).toContain('超额度审批');
    await screenshot(financeManager, '04-credit-approval');
    expect(await answered(financeManager, creditTask.getByRole('button', { name: '批准' }).click(), /\/decision$/)).toBe(200);
    await expect.poll(() => creditTask.count()).toBe(0);
    await settled(rep);
    await expect.poll(() => orderHeading(rep, orderId).textContent()).toContain('已备货');

    // 6. The sales clerk issues the delivery note.
    const clerk = await as('赵敏');
    await clerk.goto(`${stack.url}/console/#/orders/${orderId}`);
    await clerk.getByRole('button', { name: '开发货单' }).click();
    await clerk.getByRole('heading', { level: 1, name: /DN-/ }).waitFor();
    const noteId = /#\/delivery-notes\/(DN-\d{4}-\d+)/.exec(clerk.url())![1]!;

    // 7. Finance signs it off within credit (R-FULFIL-4).
    const finance = await as('吴芳');
    await finance.getByRole('link', { name: '发货单', exact: true }).click();
    await finance.getByRole('link', { name: noteId }).click();
    await finance.getByRole('button', { name: '信用额度内，签批放行' }).click();
    await expect.poll(() => finance.getByRole('heading', { level: 1 }).textContent()).toContain('财务已签批');

    // 8. The warehouse sees it waiting, issues the goods with batch and weight; the gate pass shows no customer and no money.
    const warehouse = await as('冯磊');
    await warehouse.getByRole('link', { name: '发货单', exact: true }).click();
    await warehouse.getByRole('link', { name: noteId }).click();
    await warehouse.getByLabel('#1 批号').fill('B-2611-01');
    await warehouse.getByLabel('#1 重量（千克）').fill('3000');
    await warehouse.getByLabel('车牌号').fill('沪A·12345');
    await warehouse.getByRole('button', { name: '确认出库' }).click();
    await expect.poll(() => warehouse.getByRole('heading', { level: 1 }).textContent()).toContain('已出库');
    await screenshot(warehouse, '05-delivery-note-goods-issued');
    await warehouse.getByRole('link', { name: '出门证' }).click();
    await warehouse.getByRole('heading', { level: 1, name: `出门证 ${noteId}` }).waitFor();
    const gatePass = (await warehouse.locator('main').textContent())!;
    expect(gatePass).toContain('B-2611-01');
    expect(gatePass).toContain('沪A·12345');
    expect(gatePass).not.toContain('浦江机电');
    expect(gatePass).not.toMatch(/¥|CNY/);
    await screenshot(warehouse, '06-gate-pass');

    // 9. Logistics dispatches with a qualified carrier and records the proof of delivery.
    const logistics = await as('何军');
    await logistics.getByRole('link', { name: '发货单', exact: true }).click();
    await logistics.getByRole('link', { name: noteId }).click();
    await logistics.getByLabel('承运商').selectOption(carrierId);
    await logistics.getByLabel('运单号').fill('DH-778201');
    await logistics.getByRole('button', { name: '确认发运' }).click();
    await expect.poll(() => logistics.getByRole('heading', { level: 1 }).textContent()).toContain('运输中');
    await logistics.getByLabel('签收人').fill('李建国');
    await expect.poll(() => logistics.getByLabel('#1 实收数量').inputValue()).toBe('3');
    expect(await answered(logistics, logistics.getByRole('button', { name: '登记签收' }).click(), /proof-of-delivery$/)).toBe(200);
    await expect.poll(() => logistics.getByRole('heading', { level: 1 }).textContent()).toContain('已签收');
    await stack.stepFunctions.idle();

    // The rep now sees the order delivered and invoiced.
    await settled(rep);
    await expect.poll(() => orderHeading(rep, orderId).textContent()).toContain('已签收');
    const invoiceId = /INV-\d{4}-\d+/.exec((await rep.locator('main').textContent())!)?.[0];
    expect(invoiceId).toBeDefined();
    await screenshot(rep, '07-order-delivered');

    // 10. Finance records the customer's payment: it pays the invoice in full.
    await finance.getByRole('link', { name: '收款', exact: true }).click();
    await finance.getByLabel('客户', { exact: true }).selectOption(customerId);
    await finance.getByLabel(/^金额/).fill('13,560.00');
    await finance.getByLabel('银行流水号').fill('ICBC-20261122-0042');
    await finance.getByRole('button', { name: '登记并开收据' }).click();
    const receipt = finance.getByRole('heading', { name: /收据 RC-/ });
    await receipt.waitFor();
    const main = (await finance.locator('main').textContent())!;
    expect(main).toContain(invoiceId!);
    expect(main).toMatch(/未核销（客户预存）\s*¥0\.00/);
    await screenshot(finance, '08-payment-receipt');

    // The customer's credit shows the invoice paid: nothing owed, the whole limit available again.
    await finance.goto(`${stack.url}/console/#/customers/${customerId}`);
    await expect.poll(() => finance.locator('main').textContent()).toMatch(/可用额度\s*¥12,000\.00/);
    await expectInvariantsHold(stack);

    for (const { page } of opened) expect(await seriousViolations(page), page.url()).toEqual([]);
    expect(opened.flatMap((o) => o.errors)).toEqual([]);
  });
});
