/**
 * One file of an export as it is written: text goes into a stream that the storage reads as it
 * comes (an S3 multipart upload, a local file), and on the way its bytes are counted and hashed
 * (SHA-256), so the manifest's figures are those of the bytes stored, computed without reading
 * the file back. write() waits while the storage is behind (backpressure), so at most the
 * stream's buffer and the storage's own (two S3 parts) are held, whatever the number of rows.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ExportFile } from './schemas.js';
import type { ExportStorage } from './storage.js';

const BUFFER_BYTES = 1024 * 1024;

export class FileSink {
  private readonly stream = new PassThrough({ highWaterMark: BUFFER_BYTES });
  private readonly hash = createHash('sha256');
  private readonly stored: Promise<void>;
  private bytes = 0;
  private rows = 0;

  constructor(
    storage: ExportStorage,
    readonly key: string,
    private readonly file: Pick<ExportFile, 'name' | 'kind' | 'format' | 'contentType'>,
  ) {
    this.stored = storage.write(key, this.stream, file.contentType);
    // Awaited in write() and close(); this keeps an early failure from being an unhandled rejection meanwhile.
    this.stored.catch(() => undefined);
  }

  /** Appends text holding `rows` data rows; resolves when the stream can take more. */
  async write(text: string, rows: number): Promise<void> {
    if (text.length === 0) return;
    const chunk = Buffer.from(text, 'utf8');
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.rows += rows;
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, 'drain'), this.stored]);
  }

  /** Ends the file and waits until it is stored: its manifest entry. */
  async close(): Promise<ExportFile> {
    this.stream.end();
    await this.stored;
    return { ...this.file, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Gives up the file: the storage discards what it had (aborted upload, partial file removed). */
  async abort(reason: Error): Promise<void> {
    this.stream.destroy(reason);
    await this.stored.catch(() => undefined);
  }
}
