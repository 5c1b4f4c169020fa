/**
 * Time travel for tests. Business days are set at 10:00 in Shanghai; `later` moves on from the
 * test clock (never from the machine's clock, which a TEST_TODAY run has moved away from).
 */
import { now, setClock } from '../../functions/shared/clock.js';

export const DAY = 24 * 60 * 60 * 1000;

/** 10:00 in Shanghai (02:00 UTC) on a business day. */
export const at = (day: string) => setClock(new Date(`${day}T02:00:00Z`));

/** Moves the test clock `ms` ahead of where it is. */
export const later = (ms: number) => setClock(new Date(now().getTime() + ms));

/** Back to today (the real one, or the TEST_TODAY of this run). */
export const backToToday = () => setClock(undefined);
