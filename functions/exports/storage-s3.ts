/** Export files in the S3 exports bucket (KMS-encrypted by the bucket's default): streamed multipart uploads, presigned GETs. */
import type { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportStorage } from './storage.js';

const s3 = new S3Client({});

/** At most QUEUE_SIZE parts of PART_BYTES are buffered per file, whatever its size (10,000 parts: 80 GiB a file). */
const PART_BYTES = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

export class S3ExportStorage implements ExportStorage {
  constructor(private readonly bucket: string) {}

  location(exportId: string): string {
    return `s3://${this.bucket}/${exportId}/`;
  }

  async write(key: string, body: Readable, contentType: string): Promise<void> {
    const name = key.slice(key.lastIndexOf('/') + 1);
    // A failed upload aborts its multipart upload (leavePartsOnError false): no object, no parts left behind.
    await new Upload({
      client: s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentDisposition: `attachment; filename="${name}"` },
      partSize: PART_BYTES,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    }).done();
  }

  downloadUrl(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSeconds });
  }
}
