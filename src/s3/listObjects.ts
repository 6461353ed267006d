import type { S3Client } from '@aws-sdk/client-s3';
import { s3Sdk } from './sdk.js';
import { withRetry, type RetryCounter, type RetryPolicy } from '../retry.js';
import { isTransientS3Error, isUnreachable } from './s3Errors.js';

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  storageClass?: string;
}

/**
 * Every object under bucket/prefix, following ListObjectsV2 continuation tokens through all pages.
 * A page without Contents (an empty listing) is simply no objects. Keys are returned exactly as
 * stored: no URL encoding is requested, so colons and other characters arrive untouched.
 */
export async function listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: {
    policy?: RetryPolicy;
    counter?: RetryCounter;
    signal?: AbortSignal;
    onPage?: (count: number, page: ListedObject[]) => void;
  } = {},
): Promise<ListedObject[]> {
  const { ListObjectsV2Command } = s3Sdk();
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await withRetry(
      () =>
        client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }),
          { abortSignal: options.signal },
        ),
      // The first contact: an endpoint nobody listens on (or a name that does not resolve) is a
      // configuration mistake, reported at once rather than after a minute of backoff.
      (err) => isTransientS3Error(err) && !isUnreachable(err),
      options.policy,
      options.counter,
      options.signal,
    );
    const start = out.length;
    for (const item of page.Contents ?? []) {
      if (item.Key === undefined) continue;
      out.push({
        key: item.Key,
        size: item.Size ?? 0,
        etag: (item.ETag ?? '').replaceAll('"', ''),
        ...(item.StorageClass ? { storageClass: item.StorageClass } : {}),
      });
    }
    options.onPage?.(out.length, out.slice(start));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}
