/**
 * What a workflow's Catch hands to the step that records a failure for good: Step Functions'
 * error output `{ Error, Cause }`, where the cause of a failed Lambda function is JSON with its
 * errorMessage. Steps turn it into one line a person can read as the reason.
 */
import * as z from 'zod';

export const StepFailure = z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() });
export type StepFailure = z.infer<typeof StepFailure>;

/** "Error: message", at most 500 characters. */
export function failureReason(failure: StepFailure): string {
  const raw = failure.Cause ?? '';
  let message = raw;
  try {
    const parsed = JSON.parse(raw) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // not JSON: the cause as it is
  }
  return [failure.Error, message].filter(Boolean).join(': ').slice(0, 500) || 'a step failed';
}
