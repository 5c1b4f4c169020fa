/**
 * Wrapper for functions that a workflow or a schedule invokes: structured logging with the
 * invocation's request id, input validated by zod. A bad input is a programming error, named
 * InvalidStepInput so the workflow does not retry it. Task tokens are never logged.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { z } from 'zod';
import { logger } from './logger.js';

export class InvalidStepInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStepInput';
  }
}

/**
 * A job (a schedule's function, also run on demand) declining what it was asked for a reason a
 * person can act on, e.g. statements for a month that has not ended. Not a fault to retry: the
 * local job runner answers it 409 with the message and `npm run job` prints it.
 */
export class JobRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobRefused';
  }
}

export function stepHandler<S extends z.ZodType, R>(name: string, schema: S, fn: (input: z.output<S>) => Promise<R>) {
  return middy<unknown, R>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      logger.appendKeys({ step: name });
      const parsed = schema.safeParse(event);
      if (!parsed.success) throw new InvalidStepInput(`${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const result = await fn(parsed.data);
      logger.info('step done', { step: name });
      return result;
    });
}
