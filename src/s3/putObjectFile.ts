import type { S3Client } from '@aws-sdk/client-s3';
import { s3Sdk } from './sdk.js';
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { withRetry, type RetryCounter, type RetryPolicy } from '../retry.js';
import { isPreconditionFailed, isTransientWriteError } from './s3Errors.js';

/** What the object must look like for the write to go ahead (S3 conditional writes). */
export type WriteCondition =
  | { ifMatch: string } // replace exactly the version we read
  | { ifNoneMatch: '*' } // create only if absent
  | null; // unconditional

export interface PutOptions {
  condition?: WriteCondition;
  contentType?: string;
  /** Files larger than this go up in parts (each this size), so no single request carries them whole. */
  partSize?: number;
  policy?: RetryPolicy;
  counter?: RetryCounter;
}

const defaultPartSize = 64 * 1024 * 1024;

function conditionHeaders(condition: WriteCondition | undefined): { IfMatch?: string; IfNoneMatch?: string } {
  if (!condition) return {};
  return 'ifMatch' in condition ? { IfMatch: `"${condition.ifMatch}"` } : { IfNoneMatch: '*' };
}

/**
 * Uploads a local file to one key. The object appears whole or not at all (S3 replaces objects
 * atomically); with a condition, S3 refuses the write (412) if another writer got there first.
 * Large files use multipart upload with the condition on the completing request.
 */
export async function putObjectFile(
  client: S3Client,
  bucket: string,
  key: string,
  file: string,
  options: PutOptions = {},
): Promise<void> {
  const {
    AbortMultipartUploadCommand,
    CompleteMultipartUploadCommand,
    CreateMultipartUploadCommand,
    HeadObjectCommand,
    PutObjectCommand,
    UploadPartCommand,
  } = s3Sdk();
  const size = (await stat(file)).size;
  const partSize = options.partSize ?? defaultPartSize;
  const retry = <T>(fn: () => Promise<T>) =>
    withRetry(fn, isTransientWriteError, options.policy, options.counter);
  const contentType = options.contentType ?? 'application/octet-stream';
  // A conditional write whose answer was lost (reset, 5xx after the store committed) is retried,
  // and the retry is refused because the object is now *ours*. Such a 412 is not a conflict when
  // the object holds exactly our bytes: its ETag is the MD5 we computed.
  const conditional = <T>(fn: () => Promise<T>, expectedEtag: string) => {
    let tries = 0;
    return retry(() => {
      tries++;
      return fn();
    }).catch(async (err: unknown) => {
      if (!(tries > 1 && isPreconditionFailed(err))) throw err;
      const head = await retry(() => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).catch(
        () => null,
      );
      if ((head?.ETag ?? '').replaceAll('"', '') !== expectedEtag) throw err;
      return undefined;
    });
  };
  if (size <= partSize) {
    const body = await readFile(file);
    await conditional(
      () =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            ...conditionHeaders(options.condition),
          }),
        ),
      createHash('md5').update(body).digest('hex'),
    );
    return;
  }
  const created = await retry(() =>
    client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType })),
  );
  const uploadId = created.UploadId!;
  const handle = await open(file, 'r');
  try {
    const parts: { ETag: string; PartNumber: number }[] = [];
    const partDigests: Buffer[] = [];
    for (let offset = 0, n = 1; offset < size; offset += partSize, n++) {
      const length = Math.min(partSize, size - offset);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, offset);
      partDigests.push(createHash('md5').update(buffer).digest());
      const part = await retry(() =>
        client.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: n,
            Body: buffer,
          }),
        ),
      );
      parts.push({ ETag: part.ETag!, PartNumber: n });
    }
    // A multipart object's ETag is the MD5 of its parts' MD5s, then "-" and the part count.
    const multipartEtag = `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${parts.length}`;
    await conditional(
      () =>
        client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
            ...conditionHeaders(options.condition),
          }),
        ),
      multipartEtag,
    );
  } catch (err) {
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => undefined);
    throw err;
  } finally {
    await handle.close();
  }
}
