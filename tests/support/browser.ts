/**
 * The web console in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download; web/scripts/ensure-chromium.sh installs the package), screenshots kept as test
 * artifacts, an axe accessibility check, and every console error of the page collected.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../infra/local/lambda.js';

export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'web');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // This machine's network is closed: Chromium must not try to reach its own services.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions of the page so far. */
  errors: string[];
}

/** A fresh browser profile (its own session storage) on the console, signed in as the demo user whose name matches. */
export async function signedIn(browser: Browser, stackUrl: string, userName: string | RegExp, options: { width?: number; locale?: 'zh-CN' | 'en' } = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    // Chromium logs every 4xx answer as a failed resource; those are the API's refusals, which the page shows. 5xx stay errors.
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  if (options.locale === 'en') await context.addInitScript("localStorage.setItem('o2c.locale', 'en')");
  await page.goto(`${stackUrl}/`);
  await page.getByRole('button', { name: userName }).click();
  await page.getByRole('navigation').waitFor();
  return { page, context, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** axe's serious and critical violations on the page as it is now: rule id, what it is, where. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}
