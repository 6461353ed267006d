import type { S3Client } from '@aws-sdk/client-s3';
import { s3Sdk } from './sdk.js';
import { randomBytes } from 'node:crypto';
import { withRetry, type RetryCounter, type RetryPolicy } from '../retry.js';
import { isPreconditionFailed, isTransientWriteError } from './s3Errors.js';

/**
 * Whether the store honours conditional writes: an empty probe object is created with
 * If-None-Match: *, then created again the same way. AWS S3, MinIO and moto refuse the second
 * write (412); a store that ignores the header (s3rver, older Ceph) accepts it. The probe key lives
 * under `prefix` but outside the table folder, and is deleted afterwards.
 */
export async function probeConditionalWrites(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: { policy?: RetryPolicy; counter?: RetryCounter } = {},
): Promise<boolean> {
  const { DeleteObjectCommand, PutObjectCommand } = s3Sdk();
  const key = `${prefix}.rtlake-probe-${process.pid}-${randomBytes(6).toString('hex')}`;
  const create = () =>
    client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array(0), IfNoneMatch: '*' }),
    );
  const retry = <T>(fn: () => Promise<T>) =>
    withRetry(fn, isTransientWriteError, options.policy, options.counter);
  try {
    await retry(create).catch((err: unknown) => {
      // A lost answer retried: the first attempt created it, so this 412 is already the answer.
      if (!isPreconditionFailed(err)) throw err;
    });
    try {
      await retry(create);
      return false;
    } catch (err) {
      if (isPreconditionFailed(err)) return true;
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 501)
        return false;
      throw err;
    }
  } finally {
    await retry(() => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))).catch(
      () => undefined,
    );
  }
}
