import type { GlueClient, Table, TableInput } from '@aws-sdk/client-glue';
import { createRequire } from 'node:module';
import { credentialProviders } from './sdk.js';

// Loaded on first use, like the S3 SDK (src/s3/sdk.ts): other commands never pay for it.
const require = createRequire(import.meta.url);
const glueSdk = (): typeof import('@aws-sdk/client-glue') =>
  require('@aws-sdk/client-glue') as typeof import('@aws-sdk/client-glue');

import { AccessError, OutputError, UsageError, type RtlakeError } from '../errors.js';

export interface GlueSettings {
  /** Explicit Glue endpoint (moto, LocalStack), resolved by the CLI; omitted means AWS. */
  endpoint?: string;
  region?: string;
  profile?: string;
}

/** The external Parquet table rtlake keeps in the Glue Data Catalog. */
export interface GlueTableSpec {
  database: string;
  table: string;
  description: string;
  location: string;
  columns: { name: string; type: string }[];
  partitionKeys: { name: string; type: string }[];
  /** Table parameters rtlake owns (partition projection, classification); others are preserved. */
  parameters: Record<string, string>;
}

export interface GlueUpsertResult {
  database: 'created' | 'existing';
  table: 'created' | 'updated' | 'unchanged';
  /** What differed when the table was updated, e.g. ["columns", "parameter projection.year.range"]. */
  changes: string[];
}

const parquetFormats = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
};

export function makeGlueClient(settings: GlueSettings): GlueClient {
  const { GlueClient } = glueSdk();
  const { fromNodeProviderChain } = credentialProviders();
  return new GlueClient({
    region: settings.region ?? 'us-east-1',
    credentials: fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {}),
    maxAttempts: 3,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
}

function tableInput(spec: GlueTableSpec, keepParameters: Record<string, string> = {}): TableInput {
  return {
    Name: spec.table,
    Description: spec.description,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { ...keepParameters, EXTERNAL: 'TRUE', ...spec.parameters },
    PartitionKeys: spec.partitionKeys.map((k) => ({ Name: k.name, Type: k.type })),
    StorageDescriptor: {
      Columns: spec.columns.map((c) => ({ Name: c.name, Type: c.type })),
      Location: spec.location,
      InputFormat: parquetFormats.InputFormat,
      OutputFormat: parquetFormats.OutputFormat,
      SerdeInfo: {
        SerializationLibrary: parquetFormats.SerializationLibrary,
        Parameters: { 'serialization.format': '1' },
      },
    },
  };
}

const sameList = (a: { Name?: string; Type?: string }[] | undefined, b: { name: string; type: string }[]) =>
  (a ?? []).length === b.length &&
  b.every((c, i) => a![i]?.Name === c.name && (a![i]?.Type ?? '').toLowerCase() === c.type.toLowerCase());

/** What in the stored table differs from the spec (only what rtlake owns). */
function differences(existing: Table, spec: GlueTableSpec): string[] {
  const sd = existing.StorageDescriptor ?? {};
  const out: string[] = [];
  if (!sameList(sd.Columns, spec.columns)) out.push('columns');
  if (!sameList(existing.PartitionKeys, spec.partitionKeys)) out.push('partition keys');
  if (sd.Location !== spec.location) out.push('location');
  if (existing.TableType !== 'EXTERNAL_TABLE') out.push('table type');
  if (sd.InputFormat !== parquetFormats.InputFormat || sd.OutputFormat !== parquetFormats.OutputFormat)
    out.push('storage format');
  if (sd.SerdeInfo?.SerializationLibrary !== parquetFormats.SerializationLibrary) out.push('serde');
  const params = existing.Parameters ?? {};
  for (const [k, v] of Object.entries({ EXTERNAL: 'TRUE', ...spec.parameters })) {
    if (params[k] !== v) out.push(`parameter ${k}`);
  }
  return out;
}

const errorName = (err: unknown) =>
  (err as { name?: string; code?: string })?.name ?? (err as { code?: string })?.code ?? '';

/** Turns a Glue SDK error into an rtlake error that names the action and the fix. */
function describeGlueError(err: unknown, action: string, endpoint?: string): RtlakeError {
  const name = errorName(err);
  const message = String((err as Error)?.message ?? err).split('\n')[0];
  const at = endpoint ? ` (endpoint ${endpoint})` : '';
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new AccessError(
      `${action} failed: AccessDenied. The credentials need glue:GetDatabase, glue:CreateDatabase, glue:GetTable, glue:CreateTable and glue:UpdateTable.`,
      { cause: err },
    );
  }
  if (name === 'CredentialsProviderError') {
    return new AccessError(
      `${action} failed: no AWS credentials found. Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --profile.`,
      { cause: err },
    );
  }
  if (/UnrecognizedClient|InvalidSignature|SignatureDoesNotMatch|ExpiredToken/.test(name)) {
    return new AccessError(`${action} failed: ${name}. Check --profile or the AWS_* credentials.`, {
      cause: err,
    });
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|getaddrinfo|connect /.test(`${name} ${message}`)) {
    return new AccessError(
      `${action} failed: cannot reach the Glue endpoint${at}: ${message}. Check --glue-endpoint / AWS_ENDPOINT_URL_GLUE and --region.`,
      { cause: err },
    );
  }
  if (name === 'InvalidInputException' || name === 'ValidationException') {
    return new UsageError(`${action} failed: Glue refused the input: ${message}`, { cause: err });
  }
  return new OutputError(`${action} failed${at}: ${name || 'error'}: ${message}`, { cause: err });
}

async function glue<T>(action: string, endpoint: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw describeGlueError(err, action, endpoint);
  }
}

const isNotFound = (err: unknown) => errorName(err) === 'EntityNotFoundException';

/**
 * Creates the database (if missing) and the table, or updates the table when what rtlake owns
 * differs; an identical table is left untouched, so running this twice changes nothing. Parameters
 * someone else added to the table (Athena's, Lake Formation's) are kept on update.
 */
export async function upsertGlueTable(
  client: GlueClient,
  spec: GlueTableSpec,
  endpoint?: string,
): Promise<GlueUpsertResult> {
  const {
    CreateDatabaseCommand,
    CreateTableCommand,
    GetDatabaseCommand,
    GetTableCommand,
    UpdateTableCommand,
  } = glueSdk();
  const where = `${spec.database}.${spec.table}`;
  let database: GlueUpsertResult['database'] = 'existing';
  const dbFound = await client.send(new GetDatabaseCommand({ Name: spec.database })).then(
    () => true,
    (err: unknown) => {
      if (isNotFound(err)) return false;
      throw describeGlueError(err, `reading Glue database ${spec.database}`, endpoint);
    },
  );
  if (!dbFound) {
    await glue(`creating Glue database ${spec.database}`, endpoint, () =>
      client.send(
        new CreateDatabaseCommand({
          DatabaseInput: { Name: spec.database, Description: 'created by rtlake catalog glue' },
        }),
      ),
    );
    database = 'created';
  }
  const existing = await client
    .send(new GetTableCommand({ DatabaseName: spec.database, Name: spec.table }))
    .then(
      (r) => r.Table ?? null,
      (err: unknown) => {
        if (isNotFound(err)) return null;
        throw describeGlueError(err, `reading Glue table ${where}`, endpoint);
      },
    );
  if (!existing) {
    await glue(`creating Glue table ${where}`, endpoint, () =>
      client.send(new CreateTableCommand({ DatabaseName: spec.database, TableInput: tableInput(spec) })),
    );
    return { database, table: 'created', changes: [] };
  }
  const changes = differences(existing, spec);
  if (changes.length === 0) return { database, table: 'unchanged', changes };
  await glue(`updating Glue table ${where}`, endpoint, () =>
    client.send(
      new UpdateTableCommand({
        DatabaseName: spec.database,
        TableInput: tableInput(spec, existing.Parameters ?? {}),
      }),
    ),
  );
  return { database, table: 'updated', changes };
}
