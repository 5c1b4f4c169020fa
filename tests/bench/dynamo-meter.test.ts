/**
 * The rules the order bench counts DynamoDB write units and prices an order by: item sizes and
 * write units as the DynamoDB Developer Guide states them, and the per-1,000-orders arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { indexWriteUnits, itemSize, numberSize, valueSize, writeUnitsFor } from '../../bench/dynamo-meter.js';
import { costPer1000Orders } from '../../bench/pricing.js';

describe('item size (AWS rules)', () => {
  it('strings are their UTF-8 bytes, names included', () => {
    expect(itemSize({ Name: { S: 'abc' } })).toBe(7);
    expect(itemSize({ city: { S: '上海' } })).toBe(4 + 6);
  });

  it('numbers are 1 byte per two significant digits plus 1; leading and trailing zeros do not count', () => {
    expect(numberSize('42')).toBe(2);
    expect(numberSize('1000')).toBe(2);
    expect(numberSize('0.001')).toBe(2);
    expect(numberSize('-123.45')).toBe(4);
    expect(numberSize('0')).toBe(1);
  });

  it('booleans and nulls are 1 byte; lists and maps 3 bytes plus 1 per element', () => {
    expect(valueSize({ BOOL: true })).toBe(1);
    expect(valueSize({ NULL: true })).toBe(1);
    expect(valueSize({ L: [] })).toBe(3);
    expect(valueSize({ L: [{ S: 'ab' }, { N: '7' }] })).toBe(3 + (1 + 2) + (1 + 2));
    expect(valueSize({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 1 + 2);
  });
});

describe('write units', () => {
  it('ceil(size / 1 KB), at least 1', () => {
    expect(writeUnitsFor(0)).toBe(1);
    expect(writeUnitsFor(1024)).toBe(1);
    expect(writeUnitsFor(1025)).toBe(2);
  });

  const index = { name: 'byStatus', keys: ['status', 'createdKey'] };
  const item = (status: string | undefined, extra = '') => ({
    orderId: { S: 'SO-1' },
    createdKey: { S: 'k' },
    ...(status ? { status: { S: status } } : {}),
    big: { S: 'x'.repeat(1500) + extra },
  });

  it('a global secondary index: 1 write to add or remove an entry, 2 when its key changes, 1 when only projected attributes change, none when the item is never in it', () => {
    expect(indexWriteUnits(index, undefined, item('DRAFT'))).toBe(2);
    expect(indexWriteUnits(index, item('DRAFT'), undefined)).toBe(2);
    expect(indexWriteUnits(index, item('DRAFT'), item('SUBMITTED'))).toBe(4);
    expect(indexWriteUnits(index, item('DRAFT'), item('DRAFT', 'more'))).toBe(2);
    expect(indexWriteUnits(index, item('DRAFT'), item('DRAFT'))).toBe(0);
    expect(indexWriteUnits(index, item(undefined), item(undefined, 'more'))).toBe(0);
  });
});

describe('cost per 1,000 orders', () => {
  it('multiplies the per-order units by 1,000 and the stated list prices', () => {
    const { rows, totalUsd } = costPer1000Orders({ stateTransitions: 5, lambdaInvocations: 5, lambdaGbSeconds: 0.1, writeRequestUnits: 80, readRequestUnits: 16 });
    const usd = Object.fromEntries(rows.map((r) => [r.item, r.usdPer1000Orders]));
    expect(usd['Step Functions Standard state transitions']).toBeCloseTo(0.125, 9);
    expect(usd['DynamoDB write request units']).toBeCloseTo(0.05, 9);
    expect(usd['DynamoDB read request units']).toBeCloseTo(0.002, 9);
    expect(usd['Lambda requests']).toBeCloseTo(0.001, 9);
    expect(usd['Lambda duration']).toBeCloseTo(0.00133334, 6);
    expect(totalUsd).toBeCloseTo(0.125 + 0.05 + 0.002 + 0.001 + 0.00133334, 5);
  });
});
