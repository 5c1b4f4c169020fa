/**
 * Every main screen of the web console, in a real browser, over the demo data: each role sees
 * the screens its roles may open and no others, every screen passes axe with no serious or
 * critical violation and logs no console error, the console works at tablet width and by
 * keyboard, and it speaks Chinese by default and English on request, with money and dates
 * written per locale. Screenshots of every screen land in test-artifacts/web/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../infra/local/demo-data.js';
import { REPO_ROOT } from '../../infra/local/lambda.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { launchChromium, screenshot, seriousViolations, signedIn } from '../support/browser.js';
import { apiAs, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let browser: Browser;
const checkedScreens = new Set<string>();

// The demo data holds six months of past: loading it takes half a minute on an idle machine, more on a busy one.
beforeAll(async () => {
  stack = await startTestStack();
  await loadDemoData(stack);
  await stack.stepFunctions.idle();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The demo users whose screens are walked, and the navigation each must (and must not) see. */
const WALKS = [
  { user: '王强', role: 'sales_rep', sees: ['我的待办', '订单', '客户'], not: ['发货单', '收款', '财务导出'] },
  { user: '陈杰', role: 'order_desk', sees: ['我的待办', '订单', '客户'], not: ['收款'] },
  { user: '吴芳', role: 'finance', sees: ['我的待办', '订单', '客户', '发货单', '收款'], not: [] },
  { user: '冯磊', role: 'warehouse', sees: ['发货单'], not: ['订单', '收款', '客户'] },
  { user: '何军', role: 'logistics', sees: ['发货单'], not: ['订单', '收款'] },
  { user: '郑浩', role: 'finance_manager', sees: ['收款'], not: [] },
  { user: '刘洋', role: 'sales_manager', sees: ['订单', '客户'], not: ['收款'] },
  { user: '高山', role: 'auditor', sees: ['订单', '客户'], not: ['我的待办', '收款'] },
];

describe('web console screens', () => {
  for (const walk of WALKS) {
    it(`R-INFO-2: ${walk.role} sees the screens of its role and no others; each screen is accessible (axe: no serious violation) and logs no console error`, async () => {
      const { page, errors, context } = await signedIn(browser, stack.url, new RegExp(walk.user));
      const nav = page.getByRole('navigation', { name: '主导航' });
      const labels = (await nav.getByRole('link').allTextContents()).map((s) => s.trim());
      for (const label of walk.sees) expect(labels, walk.role).toContain(label);
      for (const label of walk.not) expect(labels, walk.role).not.toContain(label);

      // Each screen is checked once, by the first role here that sees it (the roles' views of a list differ only in its rows).
      const problems: Record<string, string[]> = {};
      for (const label of labels) {
        if (checkedScreens.has(label)) continue;
        checkedScreens.add(label);
        await nav.getByRole('link', { name: label, exact: true }).click();
        await page.getByRole('heading', { level: 1 }).waitFor();
        // Lists load after the frame: wait until nothing says it is loading.
        await expect.poll(() => page.getByRole('status').filter({ hasText: '加载中' }).count()).toBe(0);
        await page.waitForLoadState('networkidle');
        const found = await seriousViolations(page);
        if (found.length) problems[label] = found;
        await screenshot(page, `screen-${new URL(page.url()).hash.replace(/^#\//, '').replace(/\W+/g, '-')}`);
      }
      expect(problems).toEqual({});
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('every screen of the navigation was checked by one of the roles above', () => {
    // The navigation as registered (web/src/screens/registry.tsx), with its Chinese labels (web/src/i18n/common.ts).
    const registry = readFileSync(path.join(REPO_ROOT, 'web/src/screens/registry.tsx'), 'utf8');
    const messages = readFileSync(path.join(REPO_ROOT, 'web/src/i18n/common.ts'), 'utf8');
    const navKeys = [...registry.matchAll(/label: '(nav\.\w+)'/g)].map((m) => m[1]!);
    const zh = navKeys.map((key) => new RegExp(`'${key.replace('.', '\\.')}': \\['([^']+)'`).exec(messages)?.[1]);
    expect(navKeys.length).toBeGreaterThanOrEqual(10);
    expect(zh.filter((label) => !label || !checkedScreens.has(label))).toEqual([]);
  });

  it('R-INFO-3: the detail screens (order with timeline and history, customer with credit panel, delivery note) are accessible too', async () => {
    const { page, errors, context } = await signedIn(browser, stack.url, /吴芳/);
    const open = async (hash: string, name: string) => {
      await page.goto(`${stack.url}/console/#${hash}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await seriousViolations(page), hash).toEqual([]);
      await screenshot(page, name);
    };
    // The oldest order of the demo: delivered and invoiced months ago, with its whole timeline.
    const orders = (await apiAs(stack, 'wu.fang').get('/orders?limit=100')).body.items as { orderId: string }[];
    await open(`/orders/${orders.at(-1)!.orderId}`, 'detail-order');
    expect(await page.getByRole('heading', { name: '状态进程' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: '历史记录' }).count()).toBe(1);
    await open('/customers/CU-000001', 'detail-customer');
    await expect.poll(() => page.locator('main').textContent()).toMatch(/信用额度\s*¥5,000,000\.00/);
    await page.getByRole('link', { name: '发货单', exact: true }).click();
    await page.getByRole('combobox', { name: '状态' }).selectOption('DELIVERED');
    await page.getByRole('link', { name: /^DN-/ }).first().click();
    await page.getByRole('heading', { level: 1, name: /DN-/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'detail-delivery-note');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("R-INFO-2: the sales manager sees a customer's access log on its page: who, what in words, when, allowed or refused, in Chinese and in English", async () => {
    // Another rep is refused the customer; finance reads one of its orders.
    const order = await apiAs(stack, 'wu.fang').get('/orders/SO-2026-000001');
    expect(order.body.customerId).toBe('CU-000001');
    expect((await apiAs(stack, 'li.na').get('/customers/CU-000001')).status).toBe(403);
    const { page, errors, context } = await signedIn(browser, stack.url, /刘洋/);
    await page.goto(`${stack.url}/console/#/customers/CU-000001`);
    await page.getByRole('heading', { name: '查阅记录' }).waitFor();
    const row = (who: string, what: string) => page.getByRole('table', { name: /查阅|Reads of this customer/ }).getByRole('row').filter({ hasText: who }).filter({ hasText: what });
    await row('李娜 Li Na', '客户档案').first().waitFor();
    expect(await row('李娜 Li Na', '客户档案').first().textContent()).toMatch(/业务员.*客户档案.*已拒绝/);
    expect(await row('吴芳 Wu Fang', '订单 SO-2026-000001').first().textContent()).toMatch(/财务.*订单 SO-2026-000001.*已允许/);
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'detail-customer-access-log');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('heading', { name: 'Access log' }).waitFor();
    expect(await row('李娜 Li Na', 'Customer record').first().textContent()).toMatch(/Sales rep.*Customer record.*Refused/);
    expect(await row('吴芳 Wu Fang', 'Order SO-2026-000001').first().textContent()).toMatch(/Finance.*Order SO-2026-000001.*Allowed/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('zh-CN by default, English on request: the words, the money and the dates follow the language', async () => {
    const { page, context } = await signedIn(browser, stack.url, /吴芳/);
    await page.getByRole('link', { name: '订单', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '订单' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await expect.poll(() => page.locator('table').first().textContent()).toMatch(/¥[\d,]+\.\d\d/);
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    const table = (await page.locator('table').first().textContent())!;
    expect(table).toMatch(/CN¥[\d,]+\.\d\d/);
    expect(table).toMatch(/\d\d\/\d\d\/\d{4}/); // 11/22/2026 in English, 2026/11/22 in Chinese
    expect(await page.getByRole('link', { name: 'My tasks' }).count()).toBe(1);
    await screenshot(page, 'english-orders');
    // The choice is kept: a reload stays in English.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await context.close();
  });

  it('works at tablet width (820 px) without sideways scrolling, and by keyboard alone', async () => {
    const { page, errors, context } = await signedIn(browser, stack.url, /王强/, { width: 820 });
    await page.getByRole('link', { name: '订单', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '订单' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, 'tablet-orders');

    // Keyboard: the skip link comes first and moves focus to the content; the nav links follow it.
    await page.goto(`${stack.url}/console/#/tasks`);
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('跳到正文');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
    // From the top, Tab reaches the "订单" link; Enter opens it.
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate('document.activeElement?.textContent')) === '订单') break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '订单' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('R-BILL-2, R-BILL-5: a bank reference recorded already is refused next to its field and the form offers "separate payment"; a reversed payment shows it (badge, who, when, why), and finance reverses one with a reason', async () => {
    // The demo payment of CU-000001 holds its bank reference for the day it was received.
    const ledger = (await apiAs(stack, 'wu.fang').get('/customers/CU-000001/ledger?limit=50')).body;
    const demo = (await apiAs(stack, 'wu.fang').get(`/payments/${ledger.entries.find((e: { kind: string }) => e.kind === 'PAYMENT').reference}`)).body;
    const { page, errors, context } = await signedIn(browser, stack.url, /吴芳/);
    await page.goto(`${stack.url}/console/#/payments`);
    await page.getByRole('heading', { level: 1, name: '收款' }).waitFor();
    await page.getByRole('combobox', { name: '客户' }).selectOption('CU-000001');
    await page.getByLabel(/^金额/).fill('100');
    await page.getByLabel('到账日期').fill(demo.receivedOn);
    await page.getByLabel('银行流水号').fill(` ${demo.bankReference.toLowerCase()} `);
    await page.getByRole('button', { name: '登记并开收据' }).click();
    // The API's words next to the field; the choice to record it as another payment.
    await expect.poll(() => page.locator('.field-error').allTextContents()).toEqual([`already recorded on receipt ${demo.receiptNumber}`]);
    const separate = page.getByRole('checkbox', { name: /这是另一笔款项/ });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'payment-duplicate-reference');
    await separate.check();
    await page.getByRole('button', { name: '登记并开收据' }).click();
    const receiptLink = page.getByRole('link', { name: /^打开收据 RC-/ });
    await receiptLink.waitFor();

    // Its receipt: reversed by finance with a reason, and shown so.
    await receiptLink.click();
    await page.getByRole('heading', { level: 1, name: /收据 RC-/ }).waitFor();
    expect(await page.locator('main').textContent()).toContain(demo.receiptNumber); // same reference as the demo payment
    await page.getByRole('button', { name: '冲销此笔收款' }).click();
    await page.getByLabel(/冲销原因/).fill('与演示收款重复登记');
    await page.getByRole('button', { name: '确认冲销' }).click();
    await page.getByText('此笔收款已冲销').waitFor();
    const main = (await page.locator('main').textContent())!;
    expect(main).toContain('由 吴芳 Wu Fang 冲销');
    expect(main).toContain('与演示收款重复登记');
    expect(await page.locator('.badge-reversed').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('button', { name: '冲销此笔收款' }).count()).toBe(0);
    await expect.poll(async () => (await page.locator('.timeline').textContent()) ?? '').toContain('payment reversed');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'payment-reversed');
    expect(errors).toEqual([]);
    await context.close();
  });
});
