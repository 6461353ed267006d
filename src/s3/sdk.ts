import { createRequire } from 'node:module';

/**
 * The AWS SDK, loaded on first use. Commands that never touch S3 (the demo, queries and the
 * workbench on a local lake) then skip loading it, which is most of their start-up time.
 */
const require = createRequire(import.meta.url);

type S3Sdk = typeof import('@aws-sdk/client-s3');
type CredentialProviders = typeof import('@aws-sdk/credential-providers');

let s3: S3Sdk | undefined;
let credentials: CredentialProviders | undefined;

export function s3Sdk(): S3Sdk {
  return (s3 ??= require('@aws-sdk/client-s3') as S3Sdk);
}

export function credentialProviders(): CredentialProviders {
  return (credentials ??= require('@aws-sdk/credential-providers') as CredentialProviders);
}
