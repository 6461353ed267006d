// The download half of "rtlake from S3", alone: GET every object under s3://BUCKET/ with the SDK at
// the same concurrency and read each body to the end, keeping nothing.
// Usage: node test/bench/downloadOnly.mjs --endpoint URL --bucket B --concurrency N
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    bucket: { type: 'string' },
    concurrency: { type: 'string', default: '32' },
  },
});
const client = new S3Client({
  endpoint: values.endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
const keys = [];
let token;
do {
  const page = await client.send(
    new ListObjectsV2Command({ Bucket: values.bucket, ContinuationToken: token }),
  );
  for (const o of page.Contents ?? []) keys.push(o.Key);
  token = page.IsTruncated ? page.NextContinuationToken : undefined;
} while (token);
let next = 0;
let bytes = 0;
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    while (next < keys.length) {
      const key = keys[next++];
      const r = await client.send(new GetObjectCommand({ Bucket: values.bucket, Key: key }));
      for await (const chunk of r.Body) bytes += chunk.length;
    }
  }),
);
client.destroy();
process.stdout.write(`${JSON.stringify({ objects: keys.length, bytes })}\n`);
