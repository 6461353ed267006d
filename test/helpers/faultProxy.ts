import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

/**
 * An HTTP proxy on loopback between rtlake (pointed at it with --endpoint / AWS_ENDPOINT_URL_S3)
 * and a real S3 server process, injecting seeded faults. Each decision is a hash of the seed, the
 * request (method + URL) and how many times that request was seen, so a run is reproducible
 * whatever order the concurrent requests arrive in.
 */
export interface FaultRates {
  /** 503 SlowDown (S3's throttling answer), before the request reaches the server. */
  throttle?: number;
  /** 500 InternalError, before the request reaches the server. */
  error500?: number;
  /** The server answers, the client gets the headers and part of the body, then the socket is destroyed. */
  reset?: number;
  /** The server answers, the client gets the headers and part of the body, then the connection ends cleanly (short body). */
  truncate?: number;
  /** Delay before forwarding, in ms (applied to every request when set). */
  delayMs?: number;
  /** Faults hit only the first N attempts of each request (default: every attempt). */
  attempts?: number;
  /** Matching requests get this S3 error instead of reaching the server (e.g. 403 InvalidObjectState). */
  answer?: { status: number; code: string };
  /** Matching requests wait for this before they are forwarded (hold a writer at its upload). */
  holdUntil?: Promise<unknown>;
}

export interface FaultRule extends FaultRates {
  /** Which requests the rule applies to; default all. */
  match?: (req: { method: string; url: string; key: string }) => boolean;
}

export interface FaultProxyOptions {
  upstream: string;
  seed: number;
  rules: FaultRule[];
  /** A key deleted from the upstream (via `client`) right after the first listing that names it has been answered. */
  vanishAfterListing?: { client: S3Client; bucket: string; key: string };
  /** Every request gets this S3 error (e.g. 403 AccessDenied, 403 InvalidAccessKeyId, 400 ExpiredToken). */
  answerAll?: { status: number; code: string };
}

export interface FaultCounts {
  requests: number;
  throttle: number;
  error500: number;
  reset: number;
  truncate: number;
  delayed: number;
}

export interface FaultProxy {
  endpoint: string;
  counts: FaultCounts;
  /** Requests seen so far, as "METHOD /path?query". */
  log: string[];
  /** Change the rules while running (e.g. slow everything down from now on). */
  setRules(rules: FaultRule[]): void;
  stop(): Promise<void>;
}

/** A deterministic number in [0, 1) for (seed, request, attempt, fault kind). */
function draw(seed: number, id: string, attempt: number, kind: string): number {
  const h = createHash('sha256').update(`${seed}\n${id}\n${attempt}\n${kind}`).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = s3ErrorXml(code, message);
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}

/** The object key a path-style S3 URL names, decoded ("" for bucket-level requests). */
function keyOf(url: string): string {
  const path = url.split('?')[0]!;
  const parts = path.split('/').slice(2); // ['', bucket, ...key]
  return decodeURIComponent(parts.join('/'));
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  let rules = options.rules;
  const seen = new Map<string, number>();
  const counts: FaultCounts = { requests: 0, throttle: 0, error500: 0, reset: 0, truncate: 0, delayed: 0 };
  const log: string[] = [];
  let vanished = false;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const id = `${method} ${url}`;
    const attempt = (seen.get(id) ?? 0) + 1;
    seen.set(id, attempt);
    counts.requests++;
    log.push(id);
    const body: Buffer[] = [];
    for await (const chunk of req) body.push(chunk as Buffer);

    if (options.answerAll)
      return sendError(res, options.answerAll.status, options.answerAll.code, 'refused by the fault proxy');
    const info = { method, url, key: keyOf(url) };
    const matched = rules.find((r) => !r.match || r.match(info)) ?? {};
    const rule: FaultRule = matched.attempts !== undefined && attempt > matched.attempts ? {} : matched;
    if (rule.holdUntil) await rule.holdUntil;
    if (rule.delayMs) {
      counts.delayed++;
      await new Promise((r) => setTimeout(r, rule.delayMs));
    }
    if (rule.answer)
      return sendError(res, rule.answer.status, rule.answer.code, 'answered by the fault proxy');
    if (draw(options.seed, id, attempt, 'throttle') < (rule.throttle ?? 0)) {
      counts.throttle++;
      return sendError(res, 503, 'SlowDown', 'Please reduce your request rate.');
    }
    if (draw(options.seed, id, attempt, '500') < (rule.error500 ?? 0)) {
      counts.error500++;
      return sendError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
    }
    const cut =
      draw(options.seed, id, attempt, 'reset') < (rule.reset ?? 0)
        ? 'reset'
        : draw(options.seed, id, attempt, 'truncate') < (rule.truncate ?? 0)
          ? 'truncate'
          : null;

    const headers = { ...req.headers, host: upstream.host };
    const upstreamRes = await new Promise<IncomingMessage>((resolve, reject) => {
      const up = httpRequest(
        { host: upstream.hostname, port: upstream.port, method, path: url, headers },
        resolve,
      );
      up.on('error', reject);
      up.end(Buffer.concat(body));
    });
    const chunks: Buffer[] = [];
    for await (const chunk of upstreamRes) chunks.push(chunk as Buffer);
    const payload = Buffer.concat(chunks);

    if (options.vanishAfterListing && !vanished && method === 'GET' && /[?&]list-type=2/.test(url)) {
      const target = options.vanishAfterListing;
      const listed = payload.toString('utf8').includes(`<Key>${target.key.replaceAll('&', '&amp;')}</Key>`);
      if (listed) {
        vanished = true;
        await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: target.key }));
      }
    }

    if (cut) {
      counts[cut]++;
      // The request reached the server (a PUT has landed); the client loses the end of the answer,
      // or all of it when there is no body to cut.
      if (payload.length === 0) {
        res.socket?.resetAndDestroy();
        return;
      }
      res.writeHead(upstreamRes.statusCode ?? 200, {
        ...upstreamRes.headers,
        'content-length': String(payload.length),
        connection: 'close',
      });
      res.write(payload.subarray(0, Math.floor(payload.length / 2)));
      setTimeout(() => (cut === 'reset' ? res.socket?.resetAndDestroy() : res.socket?.end()), 10);
      return;
    }
    res.writeHead(upstreamRes.statusCode ?? 200, upstreamRes.headers);
    res.end(payload);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 502, 'BadGateway', 'fault proxy: upstream failed');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    log,
    setRules(next) {
      rules = next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
