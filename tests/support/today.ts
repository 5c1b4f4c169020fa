/**
 * Vitest setup (every test file): TEST_TODAY=YYYY-MM-DD moves "today" for the whole run, so a test
 * that depends on the machine's calendar fails here instead of on the day the calendar moves.
 * `npm run test:another-today` runs the files that move the clock this way (CI does).
 */
import { moveToday } from '../../functions/shared/clock.js';

const day = process.env.TEST_TODAY;
if (day) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new Error(`TEST_TODAY must be a date YYYY-MM-DD, not ${day}`);
  moveToday(day);
}
