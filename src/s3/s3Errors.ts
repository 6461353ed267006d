import { AccessError, ConflictError, OutputError, RtlakeError } from '../errors.js';
import { TransientFault } from '../retry.js';

interface SdkLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const transientNames = new Set([
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'TimeoutError',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
  'AbortError',
]);

function nameOf(err: unknown): string {
  const e = err as SdkLikeError;
  return e?.Code ?? e?.code ?? e?.name ?? '';
}

export function httpStatus(err: unknown): number | undefined {
  return (err as SdkLikeError)?.$metadata?.httpStatusCode;
}

/** True for faults worth retrying: throttling, 5xx, resets, timeouts, truncated bodies. */
export function isTransientS3Error(err: unknown): boolean {
  if (err instanceof TransientFault) return true;
  if (err instanceof RtlakeError) return false;
  const name = nameOf(err);
  if (transientNames.has(name)) return true;
  const status = httpStatus(err);
  if (status !== undefined && (status === 429 || status >= 500)) return true;
  const message = String((err as SdkLikeError)?.message ?? '');
  return /socket hang up|ECONNRESET|EPIPE|ETIMEDOUT|premature close|aborted|terminated|other side closed/i.test(
    message,
  );
}

/** A write worth retrying: transient, and not a 412 (a refused conditional write is an answer). */
export function isTransientWriteError(err: unknown): boolean {
  return isTransientS3Error(err) && !isPreconditionFailed(err);
}

/** Nothing listens at the endpoint, or its host name does not resolve. */
export function isUnreachable(err: unknown): boolean {
  const name = nameOf(err);
  return name === 'ECONNREFUSED' || name === 'ENOTFOUND';
}

export function isNotFound(err: unknown): boolean {
  const name = nameOf(err);
  return name === 'NoSuchKey' || name === 'NotFound' || (httpStatus(err) === 404 && name !== 'NoSuchBucket');
}

export function isArchived(err: unknown): boolean {
  return nameOf(err) === 'InvalidObjectState';
}

export function isPreconditionFailed(err: unknown): boolean {
  const name = nameOf(err);
  return (
    name === 'PreconditionFailed' ||
    name === 'ConditionalRequestConflict' ||
    httpStatus(err) === 412 ||
    (httpStatus(err) === 409 && name === 'ConditionalRequestConflict')
  );
}

/**
 * Turns a permanent SDK error into an rtlake error that names the place and the fix (an rtlake
 * error passes through). Never includes credentials: only the error's code and the bucket/key.
 */
export function describeS3Error(
  err: unknown,
  action: string,
  where: string,
  endpoint?: string,
  direction: 'read' | 'write' = 'read',
): RtlakeError {
  if (err instanceof RtlakeError) return err;
  const name = nameOf(err);
  const status = httpStatus(err);
  // An endpoint URL may carry user:password@; messages never repeat it.
  const at = endpoint ? ` (endpoint ${endpoint.replace(/\/\/[^/@]*@/, '//')})` : '';
  switch (name) {
    case 'NoSuchBucket':
      return new AccessError(
        `${action} failed for ${where}: NoSuchBucket. Check the bucket name and --region${at}.`,
        { cause: err },
      );
    case 'AccessDenied':
    case 'AllAccessDisabled':
    case 'Forbidden':
      return new AccessError(
        `${action} failed for ${where}: AccessDenied. Check that the credentials (--profile or AWS_* environment) allow this on that bucket.`,
        { cause: err },
      );
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
    case 'UnrecognizedClientException':
      return new AccessError(
        `${action} failed for ${where}: ${name}. The access key or secret is wrong; check --profile or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.`,
        { cause: err },
      );
    case 'ExpiredToken':
    case 'ExpiredTokenException':
    case 'TokenRefreshRequired':
      return new AccessError(
        `${action} failed for ${where}: the credentials have expired. Refresh them (e.g. aws sso login) and re-run.`,
        { cause: err },
      );
    case 'CredentialsProviderError':
      return new AccessError(
        `${action} failed for ${where}: no AWS credentials found. Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --profile.`,
        { cause: err },
      );
    case 'ENOTFOUND':
    case 'ECONNREFUSED':
    case 'EAI_AGAIN':
      return new AccessError(
        `${action} failed for ${where}: cannot reach the S3 endpoint${at} (${name}). Check --endpoint / AWS_ENDPOINT_URL_S3 and the network.`,
        { cause: err },
      );
  }
  if (status === 403) {
    return new AccessError(
      `${action} failed for ${where}: AccessDenied (HTTP 403). Check the credentials and the bucket policy.`,
      { cause: err },
    );
  }
  if (isPreconditionFailed(err)) {
    return new ConflictError(
      `${action} failed for ${where}: another writer changed it since it was read (HTTP ${status ?? 412}). Re-run to merge again.`,
      { cause: err },
    );
  }
  const message = String((err as SdkLikeError)?.message ?? err).split('\n')[0] ?? '';
  if (/ECONNREFUSED|ENOTFOUND|getaddrinfo|connect /.test(message)) {
    return new AccessError(
      `${action} failed for ${where}: cannot reach the S3 endpoint${at}: ${message}. Check --endpoint / AWS_ENDPOINT_URL_S3.`,
      { cause: err },
    );
  }
  const text = `${action} failed for ${where}: ${name || 'error'}${status ? ` (HTTP ${status})` : ''}: ${message}`;
  return direction === 'write'
    ? new OutputError(text, { cause: err })
    : new AccessError(text, { cause: err });
}
