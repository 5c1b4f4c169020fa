/**
 * Where export files go (R-AR-3): one small interface, two implementations chosen by the
 * environment the function was given. In the cloud, EXPORTS_BUCKET_NAME (set by CDK for the
 * functions that declare `exportsBucket` access) selects S3: streamed multipart uploads and
 * presigned download URLs. Locally the stack sets EXPORTS_LOCAL_DIR instead: files under the
 * local data folder, served by the local gateway through signed, expiring URLs. The S3 module is
 * loaded only when it is used.
 */
import type { Readable } from 'node:stream';
import { EXPORTS_BUCKET_ENV } from '../shared/definitions.js';
import { LOCAL_EXPORTS_ENV, LocalFolderStorage } from './storage-local.js';

export interface ExportStorage {
  /** Where an export's files are, for people and the manifest: s3://bucket/EX-…/ or a local folder. */
  location(exportId: string): string;
  /**
   * Stores what `body` streams under `key` (EX-…/name), reading it as it comes (memory stays
   * bounded). Resolves once the object is complete; on a failure nothing is left under `key`.
   */
  write(key: string, body: Readable, contentType: string): Promise<void>;
  /** A URL that downloads `key` with no other credentials, until it expires after `expiresInSeconds`. */
  downloadUrl(key: string, expiresInSeconds: number): Promise<string>;
}

/** Download URLs live this long: enough to click, short enough that a forwarded link soon stops working. */
export const DOWNLOAD_URL_SECONDS = 15 * 60;

export async function exportStorage(): Promise<ExportStorage> {
  const bucket = process.env[EXPORTS_BUCKET_ENV];
  if (bucket) {
    const { S3ExportStorage } = await import('./storage-s3.js');
    return new S3ExportStorage(bucket);
  }
  if (process.env[LOCAL_EXPORTS_ENV.dir]) return LocalFolderStorage.fromEnvironment();
  throw new Error(`${EXPORTS_BUCKET_ENV} is not set: the function was not given access to the exports bucket`);
}
