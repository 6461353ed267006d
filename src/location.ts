import { UsageError } from './errors.js';
import { resolve } from 'node:path';

/** Where an archive is read from or a lake is written to. */
export type Location =
  { kind: 's3'; bucket: string; prefix: string; uri: string } | { kind: 'local'; path: string; uri: string };

const bucketName = /^[a-z0-9][a-z0-9.\-_]{1,254}$/;

/**
 * Parses `s3://bucket/prefix` or a folder path. The prefix is kept exactly as given (colons,
 * spaces and any other characters are legal in keys); only the `s3://` form is treated as S3.
 */
export function parseLocation(text: string, what: string): Location {
  if (text.trim() === '') throw new UsageError(`${what} is empty`);
  if (/^s3a?n?:\/\//i.test(text) && !text.startsWith('s3://')) {
    throw new UsageError(`${what} "${text}" must start with s3:// (lower case, no s3a:// or s3n://)`);
  }
  if (text.startsWith('s3://')) {
    const rest = text.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const prefix = slash === -1 ? '' : rest.slice(slash + 1);
    if (!bucketName.test(bucket)) {
      throw new UsageError(`${what} "${text}" is not a valid s3:// URL: bucket name "${bucket}" is invalid`);
    }
    return { kind: 's3', bucket, prefix, uri: text };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new UsageError(`${what} "${text}": only s3:// URLs and local folders are supported`);
  }
  return { kind: 'local', path: resolve(text), uri: text };
}

/** Joins an S3 prefix and a relative key with exactly one slash between them. */
export function joinKey(prefix: string, rel: string): string {
  if (prefix === '') return rel;
  return prefix.endsWith('/') ? prefix + rel : `${prefix}/${rel}`;
}
