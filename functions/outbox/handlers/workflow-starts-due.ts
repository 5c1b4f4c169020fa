/**
 * Safety net of the outbox, every 5 minutes: makes the workflow starts still pending after a few
 * minutes (their stream record failed for good, or was never delivered during an outage). Reads only
 * the sparse index of pending starts. Running it beside the stream consumer starts nothing twice.
 */
import * as z from 'zod';
import { now } from '../../shared/clock.js';
import { logger } from '../../shared/logger.js';
import { stepHandler } from '../../shared/step.js';
import { makeStart } from '../starts.js';
import { pendingStarts } from '../store.js';

/** Older than this, a pending start is the sweeper's: the stream normally makes it within seconds. */
export const SWEEP_AFTER_MS = 2 * 60 * 1000;

const Input = z.looseObject({}).catch({});

export const handler = stepHandler('WorkflowStartsDue', Input, async () => {
  const before = new Date(now().getTime() - SWEEP_AFTER_MS).toISOString();
  let started = 0;
  let failed = 0;
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await pendingStarts(before, cursor);
    for (const start of page.items) {
      try {
        await makeStart(start);
        started++;
      } catch (err) {
        failed++;
        logger.error('workflow start failed; the next sweep tries again', { startKey: start.startKey, error: err as Error });
      }
    }
    cursor = page.cursor;
  } while (cursor);
  return { started, failed };
});
