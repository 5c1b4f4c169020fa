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
export const unavailable = (detail: string) => new HttpError(503, PROBLEM_TYPES.unavailable, 'Try again in a moment', detail);
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

/** zod issues → one FieldError per failing field, named from the request part down (body.contacts.0.email). */
export function fieldErrors(part: 'params' | 'query' | 'body', error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const base = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${base}.${key}`, message: 'unknown field', code: 'unknown_field' }));
    }
    const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
    return [{ field: base, message: missing ? 'required' : issue.message, code: missing ? 'required' : issue.code }];
  });
}

