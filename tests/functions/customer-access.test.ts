/**
 * The decision and timing of a logged read (functions/customers/access.ts permitRead), with the
 * access entry's writer and the read's work faked: no DynamoDB, no clock, no sleeping. Whether the
 * write and the read overlap is seen from the order things start and finish in, never from timing.
 */
import { describe, expect, it, vi } from 'vitest';
import { permitRead } from '../../functions/customers/access.js';
import { HttpError, forbidden, notFound } from '../../functions/shared/errors.js';
import type { AccessOutcome } from '../../functions/shared/schemas.js';

// The failures below log on purpose; keep the test output readable.
vi.hoisted(() => {
  process.env.LOG_LEVEL = 'SILENT';
});

/** A promise settled from outside, to hold a write or a read in flight. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((r) => setImmediate(r));
const order = { what: 'order' as const, id: 'SO-2026-000123' };
const allowed = () => undefined;
const refused = () => {
  throw forbidden('SO-2026-000123 belongs to another sales rep');
};

describe('a read of customer data by someone else (R-INFO-2)', () => {
  it('R-INFO-2: the access entry is written while the read runs, and the answer waits for both (no write left in flight when Lambda freezes)', async () => {
    const events: string[] = [];
    const write = deferred();
    const work = deferred<string>();
    const permit = await permitRead({
      mayRead: allowed,
      needsLog: true,
      what: order,
      write: (outcome) => {
        events.push(`write ${outcome} started`);
        return write.promise.then(() => void events.push('write done'));
      },
    });
    let answered = false;
    const answer = permit
      .run(() => {
        events.push('read started');
        return work.promise;
      })
      .then((v) => {
        answered = true;
        return v;
      });
    await flush();
    // Both are under way before either finishes: the write costs the read no time of its own.
    expect(events).toEqual(['write ALLOWED started', 'read started']);
    work.resolve('the order');
    await flush();
    expect(answered).toBe(false); // the read is done, the entry is not: no answer yet
    write.resolve();
    await expect(answer).resolves.toBe('the order');
    expect(events).toEqual(['write ALLOWED started', 'read started', 'write done']);
  });

  it('R-INFO-2: a read whose access entry cannot be written is not answered: 503, after the read itself has finished', async () => {
    let readDone = false;
    const permit = await permitRead({ mayRead: allowed, needsLog: true, what: order, write: () => Promise.reject(new Error('ProvisionedThroughputExceededException')) });
    const failure = await permit
      .run(async () => {
        await flush();
        readDone = true;
        return 'the order';
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HttpError);
    expect(failure).toMatchObject({ status: 503, type: '/problems/unavailable' });
    expect(readDone).toBe(true);
  });

  it('R-INFO-2: a refused read is logged REFUSED before the 403 goes out; if that entry cannot be written the 403 goes out all the same', async () => {
    const events: string[] = [];
    const write = deferred();
    let settled = false;
    const refusal = permitRead({
      mayRead: refused,
      needsLog: true,
      what: order,
      write: (outcome) => {
        events.push(`write ${outcome}`);
        return write.promise;
      },
    }).catch((e: unknown) => {
      settled = true;
      return e;
    });
    await flush();
    expect(events).toEqual(['write REFUSED']);
    expect(settled).toBe(false); // the 403 waits for the entry
    write.resolve();
    expect(await refusal).toMatchObject({ status: 403 });

    const unlogged = await permitRead({ mayRead: refused, needsLog: true, what: order, write: () => Promise.reject(new Error('down')) }).catch((e: unknown) => e);
    expect(unlogged).toMatchObject({ status: 403 });
  });

  it("R-INFO-2: the owner's read writes nothing, and a rule that fails otherwise than 403 writes nothing either", async () => {
    const writes: AccessOutcome[] = [];
    const write = async (outcome: AccessOutcome) => void writes.push(outcome);
    const own = await permitRead({ mayRead: allowed, needsLog: false, what: order, write });
    await expect(own.run(async () => 'the order')).resolves.toBe('the order');
    await expect(
      permitRead({
        mayRead: () => {
          throw notFound('no order');
        },
        needsLog: true,
        what: order,
        write,
      }),
    ).rejects.toMatchObject({ status: 404 });
    expect(writes).toEqual([]);
  });

  it('R-INFO-2: a read that fails after the entry was written fails as itself (the attempt stays logged)', async () => {
    const writes: AccessOutcome[] = [];
    const permit = await permitRead({ mayRead: allowed, needsLog: true, what: order, write: async (o) => void writes.push(o) });
    await expect(permit.run(() => Promise.reject(new Error('read failed')))).rejects.toThrow('read failed');
    expect(writes).toEqual(['ALLOWED']);
  });
});
