/**
 * The console's pure pieces, without a browser: money typed and shown (integer minor units to an
 * exact decimal and back, never a float), who may do what (read from the API's own OpenAPI
 * document), the session read from a token exactly as the local sign-in issues it, and the
 * access log's codes in words.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../functions/system/openapi.js';
import { ROUTES } from '../../infra/definitions/index.js';
import { DEMO_USERS, LocalIdentity } from '../../infra/local/auth.js';
import { permissionsFrom } from '../../web/src/permissions.js';
import { sessionFromToken } from '../../web/src/session.js';
import { decimalToMinor, minorToDecimal } from '../../web/src/money.js';
import { ACCESS_READS } from '../../functions/shared/schemas.js';
import { accessReadMessages, accessReadText } from '../../web/src/screens/customers/access-log.js';

describe('money in the console', () => {
  it('shows minor units as the exact decimal and reads it back to the same integer (CNY, JPY, BHD), for every safe amount', () => {
    fc.assert(
      fc.property(fc.constantFrom('CNY', 'JPY', 'BHD'), fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (currency, minor) => {
        expect(decimalToMinor(minorToDecimal(minor, currency), currency)).toBe(minor);
      }),
      { seed: 20261122, numRuns: 2000 },
    );
  });

  it('reads what people type, with thousands separators, and refuses what is not money in that currency', () => {
    expect(minorToDecimal(1_356_000, 'CNY')).toBe('13560.00');
    expect(minorToDecimal(-5, 'CNY')).toBe('-0.05');
    expect(minorToDecimal(1500, 'JPY')).toBe('1500');
    expect(decimalToMinor('13,560.00', 'CNY')).toBe(1_356_000);
    expect(decimalToMinor('13，560.5', 'CNY')).toBe(1_356_050);
    expect(decimalToMinor(' 12 ', 'CNY')).toBe(1200);
    expect(decimalToMinor('-0.5', 'CNY')).toBe(-50);
    expect(decimalToMinor('1.234', 'CNY')).toBeUndefined(); // a fen is the smallest unit
    expect(decimalToMinor('1.5', 'JPY')).toBeUndefined();
    expect(decimalToMinor('12.5e3', 'CNY')).toBeUndefined();
    expect(decimalToMinor('abc', 'CNY')).toBeUndefined();
    expect(decimalToMinor('', 'CNY')).toBeUndefined();
    expect(decimalToMinor('99999999999999999', 'CNY')).toBeUndefined(); // beyond a safe integer of fen
  });
});

describe('who may do what', () => {
  it("takes every operation's roles from the OpenAPI document, as the route table defines them", () => {
    const permissions = permissionsFrom(buildOpenApi(ROUTES, { version: 'test' }) as never);
    for (const route of ROUTES) expect(permissions[route.operationId], route.operationId).toEqual(route.roles === 'public' ? 'public' : [...route.roles]);
    // What the console then shows: the warehouse issues goods but records no payment; finance the reverse.
    expect(permissions.issueGoods).toContain('warehouse');
    expect(permissions.recordPayment).not.toContain('warehouse');
    expect(permissions.recordPayment).toContain('finance');
  });
});

describe('the session', () => {
  it('reads user, name, roles and expiry from a token as the local sign-in issues it (Chinese names intact)', async () => {
    const identity = LocalIdentity.open(undefined);
    const user = DEMO_USERS.find((u) => u.userId === 'chen.jie')!;
    const session = sessionFromToken(await identity.sign(user));
    expect(session).toMatchObject({ userId: 'chen.jie', name: '陈杰 Chen Jie', roles: ['order_desk'] });
    expect(session.expiresAt * 1000).toBeGreaterThan(Date.now());
    expect(() => sessionFromToken('not-a-token')).toThrow();
  });
});

describe("a customer's access log in words (R-INFO-2)", () => {
  it('R-INFO-2: every code the API logs a read with has words in Chinese and English, its parameters filled in', () => {
    expect(Object.keys(accessReadMessages).sort()).toEqual([...ACCESS_READS].sort());
    for (const what of ACCESS_READS) {
      for (const locale of ['zh-CN', 'en'] as const) {
        const text = accessReadText(locale, { what, id: 'SO-2026-000123', version: 3 });
        expect(text, `${what} ${locale}`).not.toMatch(/[{}]/);
        expect(text, `${what} ${locale}`).not.toBe(what);
        if (accessReadMessages[what][1].includes('{id}')) expect(text).toContain('SO-2026-000123');
      }
    }
    expect(accessReadText('zh-CN', { what: 'order', id: 'SO-2026-000123' })).toBe('订单 SO-2026-000123');
    expect(accessReadText('en', { what: 'order', id: 'SO-2026-000123' })).toBe('Order SO-2026-000123');
    expect(accessReadText('zh-CN', { what: 'priceListVersion', version: 2 })).toBe('客户价格表第 2 版');
    expect(accessReadText('en', { what: 'statementPdf', id: 'ST-CU-000001-2026-11' })).toBe('Statement ST-CU-000001-2026-11 (PDF)');
    expect(accessReadText('en', { what: 'somethingNewer' })).toBe('somethingNewer'); // a code the console does not know yet shows as itself
  });
});
