/**
 * `npm run test:another-today`: the test files that move the clock, run again with "today" moved to
 * 31 December of next year (TEST_TODAY, honoured by tests/support/today.ts and so by the local stack
 * in the same process). A test that mixes the machine's calendar with the test clock (a fixture dated
 * from the real today, then the clock moved to a fixed day) fails here. The whole suite need not run
 * twice: only the files that travel in time can depend on where "today" is.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const TRAVELS = /\bsetClock\(|support\/time\.js'/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'web' ? [] : testFiles(full); // the browser tests do not move the clock
    return e.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = testFiles(path.join(root, 'tests'))
  .filter((f) => TRAVELS.test(readFileSync(f, 'utf8')))
  .map((f) => path.relative(root, f));
const today = process.env.TEST_TODAY ?? `${new Date().getUTCFullYear() + 1}-12-31`;
console.log(`TEST_TODAY=${today}: ${files.length} test files that move the clock`);
const run = spawnSync('npx', ['vitest', 'run', ...files], { cwd: root, stdio: 'inherit', env: { ...process.env, TEST_TODAY: today } });
process.exit(run.status ?? 1);
