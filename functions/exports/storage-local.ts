/**
 * Export files on the local stack: under the data folder (.local/exports/EX-…/name), written to a
 * temporary name and renamed once complete, as an S3 object appears only when its upload
 * completes. Downloads go through the local gateway (GET /_local/exports/EX-…/name) with an
 * expiry and an HMAC over key and expiry in the query, like a presigned S3 URL: no token needed,
 * nothing readable without a URL the API gave out, nothing after it expired.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { now } from '../shared/clock.js';
import { CONTENT_TYPES } from './plan.js';
import type { ExportStorage } from './storage.js';

/** The environment the local stack gives the functions (infra/local/stack.ts). */
export const LOCAL_EXPORTS_ENV = {
  /** The folder that stands in for the bucket. */
  dir: 'EXPORTS_LOCAL_DIR',
  /** The gateway's origin, for download URLs. */
  baseUrl: 'EXPORTS_LOCAL_BASE_URL',
  /** The key download URLs are signed with (random per start of the stack). */
  secret: 'EXPORTS_LOCAL_URL_SECRET',
} as const;

export const LOCAL_DOWNLOAD_PREFIX = '/_local/exports/';
/** EX-…/file.ext: no other path is ever served (no "..", no subfolders). */
const KEY = /^EX-[A-Z0-9-]+\/[a-z0-9][a-z0-9_.-]*$/;

const sign = (secret: string, key: string, expires: number) => createHmac('sha256', secret).update(`${key}\n${expires}`).digest('base64url');

export function newLocalUrlSecret(): string {
  return randomBytes(32).toString('base64url');
}

export class LocalFolderStorage implements ExportStorage {
  constructor(
    private readonly dir: string,
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  static fromEnvironment(): LocalFolderStorage {
    const get = (name: string) => {
      const value = process.env[name];
      if (!value) throw new Error(`${name} is not set: the local stack sets it`);
      return value;
    };
    return new LocalFolderStorage(get(LOCAL_EXPORTS_ENV.dir), get(LOCAL_EXPORTS_ENV.baseUrl), get(LOCAL_EXPORTS_ENV.secret));
  }

  location(exportId: string): string {
    return `${path.join(this.dir, exportId)}${path.sep}`;
  }

  async write(key: string, body: Readable, _contentType: string): Promise<void> {
    if (!KEY.test(key)) throw new Error(`not an export file key: ${key}`);
    const file = path.join(this.dir, key);
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await pipeline(body, createWriteStream(partial));
      await rename(partial, file);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  async downloadUrl(key: string, expiresInSeconds: number): Promise<string> {
    const expires = Math.floor(now().getTime() / 1000) + expiresInSeconds;
    const query = new URLSearchParams({ expires: String(expires), signature: sign(this.secret, key, expires) });
    return `${this.baseUrl}${LOCAL_DOWNLOAD_PREFIX}${key}?${query}`;
  }
}

export type LocalDownload = { status: 200; file: string; size: number; contentType: string; name: string } | { status: 400 | 403 | 404; message: string };

/** The gateway's side of a local download URL: the file to send, or why not. */
export async function openLocalDownload(pathname: string, query: URLSearchParams, env: NodeJS.ProcessEnv = process.env): Promise<LocalDownload> {
  const dir = env[LOCAL_EXPORTS_ENV.dir];
  const secret = env[LOCAL_EXPORTS_ENV.secret];
  let key: string;
  try {
    key = decodeURIComponent(pathname.slice(LOCAL_DOWNLOAD_PREFIX.length));
  } catch {
    return { status: 400, message: 'Bad Request: the path is not valid percent-encoding' }; // as S3 answers
  }
  if (!dir || !secret || !KEY.test(key)) return { status: 404, message: 'Not Found' };
  const expires = Number(query.get('expires'));
  const given = Buffer.from(query.get('signature') ?? '');
  const expected = Buffer.from(sign(secret, key, expires));
  if (!Number.isInteger(expires) || given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 403, message: 'signature does not match' };
  if (expires < Math.floor(now().getTime() / 1000)) return { status: 403, message: 'the URL expired: ask GET /exports/{exportId} for a fresh one' };
  const file = path.join(dir, key);
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) return { status: 404, message: 'Not Found' };
  const ext = path.extname(file).slice(1);
  const contentType = ext === 'csv' || ext === 'jsonl' ? CONTENT_TYPES[ext] : CONTENT_TYPES.json;
  return { status: 200, file, size: found.size, contentType, name: path.basename(file) };
}
