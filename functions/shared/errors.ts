/**
 * Errors a handler may throw; the HTTP middleware turns them into RFC 9457 problem+json.
 * `type` values are stable: clients branch on them, people read `detail`.
 */
import type * as z from 'zod';

export interface FieldError {
  field: string;
  message: string;
  code: string;
}

export class HttpError extends Error {
  /** For a 503: when to try again, sent as Retry-After (seconds). */
  retryAfterSeconds?: number;

  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = 'HttpError';
  }
}

const problem = (slug: string) => `/problems/${slug}`;

export const PROBLEM_TYPES = {
  validation: problem('validation'),
  unauthorized: problem('unauthorized'),
  forbidden: problem('forbidden'),
  notFound: problem('not-found'),
  conflict: problem('conflict'),
  preconditionFailed: problem('precondition-failed'),
  idempotencyKeyReused: problem('idempotency-key-reused'),
  requestInProgress: problem('request-in-progress'),
  unsupportedMediaType: problem('unsupported-media-type'),
  incomplete: problem('incomplete'),
  carrierNotQualified: problem('carrier-not-qualified'),
  duplicateReference: problem('duplicate-reference'),
  internal: problem('internal'),
  unavailable: problem('unavailable'),
} as const;

export const validationFailed = (errors: FieldError[], detail?: string) =>
  new HttpError(
    400,
    PROBLEM_TYPES.validation,
    'Your request has invalid fields',
    detail ?? `${errors.length} field${errors.length === 1 ? ' is' : 's are'} invalid: ${errors.map((e) => e.field).join(', ')}`,
    errors,
  );
/** The request is well-formed but what it acts on is not complete yet (an order to submit): 422 with every gap. */
export const incomplete = (what: string, errors: FieldError[]) =>
  new HttpError(422, PROBLEM_TYPES.incomplete, `${what} is incomplete`, `${errors.length} thing${errors.length === 1 ? ' is' : 's are'} missing or wrong: ${errors.map((e) => e.field).join(', ')}`, errors);
/** A dependency is down or busy, or a step could not start: 503 with Retry-After (seconds). */
export const unavailable = (detail: string, retryAfterSeconds = 5) =>
  Object.assign(new HttpError(503, PROBLEM_TYPES.unavailable, 'Try again in a moment', detail), { retryAfterSeconds });
export const unauthorized = (detail = 'Sign in: this request needs a valid bearer token') =>
  new HttpError(401, PROBLEM_TYPES.unauthorized, 'Not signed in', detail);
export const forbidden = (detail: string) => new HttpError(403, PROBLEM_TYPES.forbidden, 'Not allowed', detail);
export const notFound = (detail: string) => new HttpError(404, PROBLEM_TYPES.notFound, 'Not found', detail);
export const conflict = (detail: string) => new HttpError(409, PROBLEM_TYPES.conflict, 'Conflict with the current state', detail);
/** A payment's reference (bank reference, paper receipt number) already recorded: 409 naming the field and the payment that has it. */
export const duplicateReference = (detail: string, error: FieldError) => new HttpError(409, PROBLEM_TYPES.duplicateReference, 'Reference already recorded', detail, [error]);
export const preconditionFailed = (detail: string) =>
  new HttpError(412, PROBLEM_TYPES.preconditionFailed, 'Changed by someone else', detail);

/** A failure worth retrying (the workflow retries errors with this name). */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/**
 * zod issues → one FieldError per failing field, named from the request part down (body.contacts.0.email).
 * A missing field is `required`; zod 4 tells it from a wrong type only when parsed with `reportInput: true`
 * (without it, "received undefined" in zod's message says so), so that 1234.5 fen is not called missing.
 */
export function fieldErrors(part: 'params' | 'query' | 'body', error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const base = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${base}.${key}`, message: 'unknown field', code: 'unknown_field' }));
    }
    const missing = issue.code === 'invalid_type' && ('input' in issue ? issue.input === undefined : issue.message.endsWith('received undefined'));
    return [{ field: base, message: missing ? 'required' : issue.message, code: missing ? 'required' : issue.code }];
  });
}


/** Error names of AWS services (DynamoDB, Step Functions) that say: too many requests right now. */
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottledException',
  'KmsThrottlingException',
]);
/** …that say: the service failed on its side or did not answer in time. */
const SERVICE_FAILED = new Set(['InternalServerError', 'InternalServerException', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
/** Node's network errors: nothing listens, the connection broke, the name does not resolve. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN']);
/** Reasons of a cancelled DynamoDB transaction that are the service's load, not the request's conditions. */
const BUSY_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict']);

export interface Outage {
  /** throttled: the dependency is busy; unreachable: it did not answer or failed on its side. */
  kind: 'throttled' | 'unreachable';
  retryAfterSeconds: number;
}

/**
 * Whether an error (as the AWS SDK throws it, after its own retries) means that a dependency is
 * unreachable, failing or throttling, so the request may well succeed in a moment: the API answers
 * 503 with Retry-After instead of 500. Looks at the error's name, its network code, its HTTP status
 * (503), a cancelled transaction's reasons, and the errors it wraps (cause, AggregateError).
 * Anything else is not an outage: a 500 stays a bug to look at.
 */
export function outageOf(err: unknown, depth = 0): Outage | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  const e = err as { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number }; CancellationReasons?: { Code?: string }[]; cause?: unknown; errors?: unknown };
  const name = typeof e.name === 'string' ? e.name : '';
  if (THROTTLED.has(name)) return { kind: 'throttled', retryAfterSeconds: 2 };
  if (name === 'TransactionCanceledException' && (e.CancellationReasons ?? []).some((r) => BUSY_REASONS.has(r.Code ?? '')) && !(e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')) {
    return { kind: 'throttled', retryAfterSeconds: 2 };
  }
  if (SERVICE_FAILED.has(name) || e.$metadata?.httpStatusCode === 503) return { kind: 'unreachable', retryAfterSeconds: 5 };
  if ((typeof e.code === 'string' && NETWORK_CODES.has(e.code)) || (typeof e.message === 'string' && /socket hang up/i.test(e.message))) return { kind: 'unreachable', retryAfterSeconds: 5 };
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = outageOf(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}
