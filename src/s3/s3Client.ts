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
}

/**
 * An S3 client for AWS or any S3-compatible store. A custom endpoint gets path-style addressing
 * and checksums only when required: virtual-host buckets and default CRC checksums break most
 * S3-compatible servers. Credentials come from the standard chain (env, profile, SSO, instance role).
 */
export function makeS3Client(settings: S3Settings): S3Client {
  const custom = Boolean(settings.endpoint);
  const { S3Client } = s3Sdk();
  const { fromNodeProviderChain } = credentialProviders();
  return new S3Client({
    region: settings.region ?? 'us-east-1',
    credentials: fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {}),
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
}
