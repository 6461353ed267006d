import type { S3Client } from '@aws-sdk/client-s3';
import { createHash, createHmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { TransientFault } from '../retry.js';
import type { FetchedObject } from './getObjectBytes.js';

/**
 * A GET of an archive object from a custom S3 endpoint (--endpoint: MinIO, Ceph, s3rver…) without
 * the SDK's middleware stack: path-style URL, Signature V4 signed here with node:crypto, one
 * keep-alive connection pool. The SDK spends about 1 ms of CPU per GetObject (middleware, endpoint
 * rules, signing, serde); this path about a fifth of that, and a day is 30,000 GETs.
 *
 * Only a 200 is handled here. Throttling and 5xx answers and connection faults are thrown shaped
 * like the SDK's errors (name, $metadata.httpStatusCode), so the caller's retry classifies and
 * counts them exactly as before; any other answer (404, 403, archived objects, redirects) returns
 * null and the caller asks the SDK again, so every permanent error keeps the SDK's wording.
 * On AWS itself the SDK stays: it validates the objects' CRC checksums, which this path does not.
 */
export class DirectGetter {
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private signingKey: { scope: string; key: Buffer; secret: string } | undefined;

  constructor(
    private readonly client: S3Client,
    endpoint: string,
  ) {
    this.base = new URL(endpoint);
    const https = this.base.protocol === 'https:';
    // Sockets are unreferenced while idle, so the pool never holds the process open.
    this.agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.send = https ? httpsRequest : httpRequest;
  }

  /** The object's bytes, or null when the answer is not a 200 (the caller then uses the SDK). */
  async get(bucket: string, key: string, signal?: AbortSignal): Promise<FetchedObject | null> {
    const [credentials, region] = await Promise.all([
      this.client.config.credentials(),
      this.client.config.region(),
    ]);
    const path = `${this.base.pathname.replace(/\/+$/, '')}/${encodePath(bucket)}/${encodePath(key)}`;
    const now = new Date();
    const amzDate = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${region}/s3/aws4_request`;
    const headers: Record<string, string> = {
      host: this.base.host,
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-amz-date': amzDate,
      ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
    };
    const names = Object.keys(headers).sort();
    const canonical = [
      'GET',
      path,
      '',
      ...names.map((n) => `${n}:${headers[n]}`),
      '',
      names.join(';'),
      'UNSIGNED-PAYLOAD',
    ].join('\n');
    const toSign = [
      'AWS4-HMAC-SHA256',
      amzDate,
      scope,
      createHash('sha256').update(canonical).digest('hex'),
    ].join('\n');
    const signature = createHmac('sha256', this.keyFor(scope, credentials.secretAccessKey))
      .update(toSign)
      .digest('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;

    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = this.send(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port,
          path,
          method: 'GET',
          headers,
          agent: this.agent,
          ...(signal ? { signal } : {}),
          // As the SDK's request handler is configured (s3Client.ts): a stalled connection or body
          // fails as TimeoutError, which the retry treats as transient.
          timeout: 60_000,
        },
        resolve,
      );
      req.on('timeout', () => req.destroy(named('TimeoutError', `GET s3://${bucket}/${key} timed out`)));
      req.on('error', reject);
      req.end();
    });
    const status = response.statusCode ?? 0;
    if (status !== 200) {
      const text = await readAll(response).then(
        (b) => b.toString('utf8', 0, Math.min(b.length, 4096)),
        () => '',
      );
      if (status === 429 || status >= 500) {
        const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${status}`;
        const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '';
        throw Object.assign(named(code, `${code}: ${message || `HTTP ${status}`}`), {
          $metadata: { httpStatusCode: status },
        });
      }
      return null;
    }
    let body: Buffer;
    try {
      body = await readAll(response);
    } catch (err) {
      throw new TransientFault(
        `reading the body of s3://${bucket}/${key} failed: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && body.length !== declared) {
      throw new TransientFault(
        `body of s3://${bucket}/${key} was truncated: ${body.length} of ${declared} bytes`,
      );
    }
    const encoding = response.headers['content-encoding'];
    return {
      body,
      ...(encoding ? { contentEncoding: encoding } : {}),
      etag: String(response.headers.etag ?? '').replaceAll('"', ''),
    };
  }

  /** The day's signing key (four HMACs), made once per day, region and secret. */
  private keyFor(scope: string, secret: string): Buffer {
    if (this.signingKey?.scope !== scope || this.signingKey.secret !== secret) {
      const [day, region] = scope.split('/') as [string, string];
      let key = createHmac('sha256', `AWS4${secret}`).update(day).digest();
      for (const part of [region, 's3', 'aws4_request'])
        key = createHmac('sha256', key).update(part).digest();
      this.signingKey = { scope, key, secret };
    }
    return this.signingKey.key;
  }
}

/** An S3 path: every byte percent-encoded except unreserved characters and '/'. */
function encodePath(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%2F', '/');
}

function named(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    });
    let ended = false;
    stream.on('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks, length));
    });
    stream.on('error', reject);
    // A connection cut mid-body may end the stream without an error: the body is not whole.
    stream.on('close', () => {
      if (!ended) reject(named('ERR_STREAM_PREMATURE_CLOSE', 'premature close of the response body'));
    });
  });
}
