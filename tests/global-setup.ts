/** Once before every test file: the web console's build, which the browser tests and `npm start`'s test serve. */
import { ensureConsoleBuilt } from '../infra/local/console.js';

export default async function setup(): Promise<void> {
  await ensureConsoleBuilt();
}
