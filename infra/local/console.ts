/**
 * The web console locally: built from web/ when its sources are newer than the last build,
 * then served by the gateway at /console/ (same origin as the API, so no CORS), with the
 * config.json the deployment would write (API on this origin, dev-token sign-in). A browser
 * opening the gateway's root is sent to the console.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { settings as loadSettings } from '../../functions/shared/settings.js';
import type { LocalFileAnswer } from './gateway.js';
import { REPO_ROOT } from './lambda.js';

export const CONSOLE_PREFIX = '/console/';
export const WEB_ROOT = path.join(REPO_ROOT, 'web');
export const CONSOLE_DIST = path.join(WEB_ROOT, 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the console with Vite unless web/dist is newer than every source file; says whether it built. */
export async function ensureConsoleBuilt(log: (line: string) => void = () => undefined): Promise<boolean> {
  const index = path.join(CONSOLE_DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestChange(WEB_ROOT)) return false;
  log('Building the web console (web/ changed since the last build)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

/** What the cloud deployment writes as config.json, for this origin. */
export function localConsoleConfig() {
  const settings = loadSettings();
  return { apiUrl: '', auth: { mode: 'local' }, timeZone: settings.timeZone, currency: settings.currency };
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  // The same policy CloudFront sends (infra/constructs/web-console.ts): scripts and styles from the console only.
  'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
};

/** The console's files, or undefined for a path that is not the console's. */
export function serveConsole(method: string, url: URL, dist = CONSOLE_DIST): LocalFileAnswer | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (url.pathname === '/' || url.pathname === '/console') return { status: 302, headers: { location: CONSOLE_PREFIX }, body: '' };
  if (!url.pathname.startsWith(CONSOLE_PREFIX)) return undefined;
  const relative = decodeURIComponent(url.pathname.slice(CONSOLE_PREFIX.length)) || 'index.html';
  if (relative === 'config.json') {
    return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(localConsoleConfig()) };
  }
  const file = path.resolve(dist, relative);
  if (!file.startsWith(dist + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: existsSync(dist) ? 'Not found' : 'The web console is not built: run npm run web:build' };
  }
  const hashed = relative.startsWith('assets/');
  return {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': String(statSync(file).size),
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    },
    body: createReadStream(file),
  };
}
