import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A real S3 server process on loopback, for tests. */
export interface S3TestServer {
  kind: 's3rver' | 'moto';
  endpoint: string;
  /** Environment for an rtlake child process: endpoint and (fake) credentials. */
  env: Record<string, string>;
  client: S3Client;
  createBucket(name: string): Promise<void>;
  put(
    bucket: string,
    key: string,
    body: Buffer | string,
    extra?: { ContentEncoding?: string; ContentType?: string },
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`S3 server exited early with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`S3 server did not listen on ${port} within ${timeoutMs} ms`);
}

function makeServer(
  kind: S3TestServer['kind'],
  child: ChildProcess,
  port: number,
  cleanup: () => void,
  credentials: { id: string; secret: string },
): S3TestServer {
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: credentials.id, secretAccessKey: credentials.secret },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    kind,
    endpoint,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: credentials.id,
      AWS_SECRET_ACCESS_KEY: credentials.secret,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async put(bucket, key, body, extra = {}) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }));
    },
    async stop() {
      client.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      cleanup();
    },
  };
}

/** s3rver (npm) in its own process. Its continuation tokens use DES, hence the legacy OpenSSL provider. */
export async function startS3rver(): Promise<S3TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rtlake-s3rver-'));
  const port = await freePort();
  const bin = fileURLToPath(new URL('../../node_modules/s3rver/bin/s3rver.js', import.meta.url));
  const child = spawn(process.execPath, [bin, '-d', dir, '-p', String(port), '-a', '127.0.0.1', '--silent'], {
    env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, child);
  return makeServer('s3rver', child, port, () => rmSync(dir, { recursive: true, force: true }), {
    id: 'S3RVER',
    secret: 'S3RVER',
  });
}

/** True when moto_server (Python moto 5) is on PATH. */
export function hasMoto(): boolean {
  return spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
}

/** moto_server in its own process: enforces conditional writes and serves Glue. Null when absent. */
export async function startMoto(): Promise<S3TestServer | null> {
  if (!hasMoto()) return null;
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  await waitForPort(port, child);
  return makeServer('moto', child, port, () => {}, { id: 'testing', secret: 'testing' });
}

/** Both servers where available: run an S3 suite once per implementation. */
export const s3Implementations: { name: S3TestServer['kind']; start: () => Promise<S3TestServer | null> }[] =
  [
    { name: 's3rver', start: startS3rver },
    { name: 'moto', start: startMoto },
  ];
