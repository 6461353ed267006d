import type { S3Client } from '@aws-sdk/client-s3';
import { s3Sdk } from './sdk.js';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { TransientFault, withRetry, type RetryCounter, type RetryPolicy } from '../retry.js';
import { isNotFound, isTransientS3Error } from './s3Errors.js';

/**
 * Downloads an object to a local file (via a temporary name, so the file is whole or absent).
 * Returns the object's ETag, or null if the key does not exist.
 */
export async function downloadObject(
  client: S3Client,
  bucket: string,
  key: string,
  file: string,
  options: { policy?: RetryPolicy; counter?: RetryCounter } = {},
): Promise<string | null> {
  const { GetObjectCommand } = s3Sdk();
  try {
    return await withRetry(
      async () => {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const partial = `${file}.part`;
        await pipeline(response.Body as Readable, createWriteStream(partial, { mode: 0o600 })).catch(
          (err: unknown) => {
            throw new TransientFault(
              `reading the body of s3://${bucket}/${key} failed: ${(err as Error).message}`,
              { cause: err },
            );
          },
        );
        // A body that ended early without an error would be read as a corrupt partition: retry it.
        const got = (await stat(partial)).size;
        if (response.ContentLength !== undefined && got !== response.ContentLength) {
          throw new TransientFault(
            `body of s3://${bucket}/${key} was truncated: ${got} of ${response.ContentLength} bytes`,
          );
        }
        await rename(partial, file);
        return (response.ETag ?? '').replaceAll('"', '');
      },
      isTransientS3Error,
      options.policy,
      options.counter,
    );
  } catch (err) {
    await rm(`${file}.part`, { force: true });
    if (isNotFound(err)) return null;
    throw err;
  }
}
