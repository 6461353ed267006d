import type { S3Client } from '@aws-sdk/client-s3';
import { credentialProviders, s3Sdk } from './sdk.js';

/**
 * Everything the S3 client is built from, resolved once by the CLI (flags > environment > defaults)
 * and handed to makeStorage. New connection options (anonymous access, requester pays, the region
 * chain and region redirects) belong here and in makeS3Client below, and nowhere else: every S3
 * request of every store goes through the one client made from these settings.
 */
export interface S3Settings {
  /** Explicit endpoint (--endpoint), else AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, resolved by the CLI. */
  endpoint?: string;
  region?: string;
  profile?: string;
  /** Attempts the SDK makes per request (its own retry of throttling and 5xx). */
  maxAttempts?: number;
  /** false: anonymous requests (--no-sign-request), with no credential lookup at all. */
  signRequest?: boolean;
  /** 'requester': every request says the requester pays (--request-payer requester). */
  requestPayer?: 'requester';
}

/** When neither the flag nor AWS_REGION/AWS_DEFAULT_REGION gave one, and the profile has none. */
export const fallbackRegion = 'us-east-1';

/**
 * The region when the CLI resolved none: the profile's (the SDK's own chain, which reads the shared
 * config for the profile), else us-east-1. Found lazily, on the first request.
 */
function regionOfProfile(profile: string | undefined): () => Promise<string> {
  let found: Promise<string> | undefined;
  return () =>
    (found ??= (async () => {
      const { S3Client } = s3Sdk();
      const probe = new S3Client(profile ? { profile } : {});
      try {
        return await probe.config.region();
      } catch {
        return fallbackRegion;
      } finally {
        probe.destroy();
      }
    })());
}

/**
 * An S3 client for AWS or any S3-compatible store. A custom endpoint gets path-style addressing
 * and checksums only when required: virtual-host buckets and default CRC checksums break most
 * S3-compatible servers. Credentials come from the standard chain (env, profile, SSO, instance role),
 * or none at all with signRequest false.
 */
export function makeS3Client(settings: S3Settings): S3Client {
  const custom = Boolean(settings.endpoint);
  const { S3Client } = s3Sdk();
  const { fromNodeProviderChain } = credentialProviders();
  const anonymous = settings.signRequest === false;
  const client = new S3Client({
    region: settings.region ?? regionOfProfile(settings.profile),
    // A bucket in another region answers with a redirect; follow it instead of failing.
    followRegionRedirects: true,
    // Anonymous: fixed empty credentials (so the chain is never consulted) and a signer that leaves
    // the request as it is, as the aws CLI's --no-sign-request does.
    ...(anonymous
      ? {
          credentials: { accessKeyId: '', secretAccessKey: '' },
          signer: { sign: async (request: unknown) => request } as never,
        }
      : { credentials: fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {}) }),
    maxAttempts: settings.maxAttempts ?? 3,
    // Without these a stalled connection (no answer, or a body that stops mid-way) waits forever;
    // with them it fails as TimeoutError, which rtlake's retry treats as transient.
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
    ...(custom
      ? {
          endpoint: settings.endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
  if (settings.requestPayer) {
    const payer = settings.requestPayer;
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request.headers) request.headers['x-amz-request-payer'] = payer;
        return next(args);
      },
      { step: 'build', name: 'rtlakeRequestPayer' },
    );
  }
  return client;
}
