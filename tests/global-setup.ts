/** Once before the test files run: the web console's build, which the browser tests and `npm start`'s test serve. */
import { rmSync } from 'node:fs';
import { ensureConsoleBuilt } from '../infra/local/console.js';
import { ARTIFACTS } from './support/browser.js';

export default async function setup(): Promise<void> {
  await ensureConsoleBuilt();
  // This run's screenshots only.
  rmSync(ARTIFACTS, { recursive: true, force: true });
}
