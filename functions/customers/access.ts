/**
 * R-INFO-2, one way for every read of a customer's data: the customer record, its history, its
 * credit position and price list, and its orders, order history, delivery notes, invoices, ledger,
 * payments, statements (and their PDF), credit notes, returns, goods reservations and sample
 * requests. A read by anyone but the customer's owner rep goes on the customer's access log
 * (`GET /customers/{id}/access-log`): who (user id, name, roles), what (a code and its parameters,
 * `{ what: 'order', id: 'SO-2026-000123' }`), when, and the outcome:
 * - REFUSED: the reader may not see it (a sales rep asking for another rep's customer, order,
 *   invoice, statement …). The entry is written before the 403 goes out.
 * - ALLOWED: the data goes out. The entry is written while the rest of the read runs.
 *
 * What is not logged: the owner rep's own reads; a record or customer that does not exist (404,
 * nothing was read); a caller whose role may not call the route at all (the middleware's 403,
 * before anyone knows whose data it would be); lists across customers (by status, month, rep),
 * which show summaries. A list of ONE customer's records (`/invoices?customerId=`, the versions of
 * a customer's price list …) is a read of that customer's data and is logged like a record.
 *
 * "The owner rep" is the rep the record names (an order's, invoice's, delivery note's ownerRepId),
 * the same rep the access check lets a sales rep through for, so what is refused and what is
 * logged never disagree; for the customer and the records that do not name one (payments,
 * statements) it is the customer's owner rep.
 */
import type { User } from '../shared/auth.js';
import { recordAccess } from '../shared/audit.js';
import { HttpError, unavailable } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import type { AccessOutcome, AccessRead } from '../shared/schemas.js';
import { assertMaySee, readNeedsLogging } from './rules.js';
import { customerSubject } from './store.js';

/** Whose data a record is: the customer, and the rep who owns it. */
export interface Whose {
  customerId: string;
  ownerRepId: string;
}

/** What a read does once allowed; its I/O runs while the access entry is written. */
export type ReadWork<T> = () => Promise<T>;

export interface ReadPermit {
  /** Runs the rest of the read, writing the ALLOWED entry alongside when the reader is not the owner. */
  run<T>(work: ReadWork<T>): Promise<T>;
}

/**
 * The decision and its timing, with the entry's writer passed in (tests/functions/customer-access.test.ts
 * drives it with fakes). `mayRead` throws the area's own 403 (HttpError) when the reader may not.
 */
export async function permitRead(decision: { mayRead(): void; needsLog: boolean; write(outcome: AccessOutcome): Promise<void>; what: AccessRead }): Promise<ReadPermit> {
  try {
    decision.mayRead();
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 403)) throw err;
    // A refusal is logged before the 403 goes out. If the entry cannot be written the caller is
    // refused all the same (nothing of the customer's went out, and a 503 would invite a retry);
    // the refusal is then in the function's log, where alarms on errors see it.
    await decision.write('REFUSED').catch((writeErr: unknown) => logger.error('a refused read could not be logged on the access log (R-INFO-2)', { read: decision.what, error: writeErr as Error }));
    throw err;
  }
  return {
    async run<T>(work: ReadWork<T>): Promise<T> {
      if (!decision.needsLog) return work();
      // The entry and the read run side by side: the PutItem costs no latency the read does not
      // already spend on its own I/O (only a read that has nothing left to do once it knows whose
      // data it is, like GET /orders/{id}, waits one PutItem longer). Both are awaited before the
      // response: a write left in flight (fire-and-forget) can be lost, because Lambda freezes the
      // execution environment as soon as the handler returns and may never thaw it.
      const [logged, read] = await Promise.allSettled([decision.write('ALLOWED'), work()]);
      if (logged.status === 'rejected') {
        // R-INFO-2 says every read by others is logged: a read that cannot be logged does not go
        // out. 503, so the client tries again; the data read is dropped.
        logger.error('a read could not be logged on the access log (R-INFO-2); answered 503', { read: decision.what, error: logged.reason as Error });
        throw unavailable('the read could not be logged on the customer’s access log (R-INFO-2); try again in a moment');
      }
      if (read.status === 'rejected') throw read.reason;
      return read.value;
    },
  };
}

/**
 * Checks that `user` may read this customer's data and logs the attempt as R-INFO-2 asks: a refusal
 * (403, logged) is thrown here; the permit's `run` does the rest of the read and logs it. Call it
 * once the record that names the customer has been read (a 404 before it logs nothing), and before
 * anything that may still refuse the request as bad input, so that bad input stays unlogged.
 * `mayRead` is the area's own rule (default: a sales rep sees own customers only).
 */
export function checkRead(user: User, whose: Whose, what: AccessRead, mayRead: () => void = () => assertMaySee(user, whose)): Promise<ReadPermit> {
  return permitRead({
    mayRead,
    needsLog: readNeedsLogging(user, whose),
    write: (outcome) => recordAccess(customerSubject(whose.customerId), user, what, outcome),
    what,
  });
}

/** `checkRead` and `run` in one: the usual read of a customer's data. */
export async function readCustomerData<T>(user: User, whose: Whose, what: AccessRead, work: ReadWork<T>, mayRead?: () => void): Promise<T> {
  return (await checkRead(user, whose, what, mayRead)).run(work);
}
