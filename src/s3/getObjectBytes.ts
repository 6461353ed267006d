import type { S3Client } from '@aws-sdk/client-s3';
import { s3Sdk } from './sdk.js';
import { TransientFault } from '../retry.js';

export interface FetchedObject {
  body: Buffer;
  contentEncoding?: string;
  etag: string;
}

/**
 * One GET of an object, body included. A body shorter than Content-Length (a connection cut
 * mid-body) is a TransientFault, so the caller's retry covers the whole request: the SDK does not
 * retry failures that happen while a response body is being read.
 */
export async function getObjectBytes(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<FetchedObject> {
  const { GetObjectCommand } = s3Sdk();
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
    abortSignal: signal,
  });
  const stream = response.Body as NodeJS.ReadableStream | undefined;
  if (!stream) throw new TransientFault(`GET s3://${bucket}/${key} returned no body`);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
    }
  } catch (err) {
    throw new TransientFault(`reading the body of s3://${bucket}/${key} failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (response.ContentLength !== undefined && length !== response.ContentLength) {
    throw new TransientFault(
      `body of s3://${bucket}/${key} was truncated: ${length} of ${response.ContentLength} bytes`,
    );
  }
  return {
    body: Buffer.concat(chunks, length),
    ...(response.ContentEncoding ? { contentEncoding: response.ContentEncoding } : {}),
    etag: (response.ETag ?? '').replaceAll('"', ''),
  };
}
