import { NoInputError, OutputError, UsageError } from '../errors.js';
import { joinKey, type Location } from '../location.js';
import { openDatabase } from '../db/openDatabase.js';
import { readSqlFile } from '../db/runSqlFile.js';
import { sqlStringList } from '../db/sqlText.js';
import type { Store } from '../store/store.js';
import { lakeCopyDir, listLakePartitions, syncLakeCopy, type LakePartition } from './catalogLakeFiles.js';
import type { Reporter } from './reporter.js';
import { hiveTypeOf, UnmappableTypeError } from './athenaTypes.js';
import type { LakeTableName } from './lakeTables.js';

/** One column of the lake's Parquet files and the type Athena/Glue declare for it. */
export interface LakeColumn {
  name: string;
  /** Athena / Hive type as Glue declares it: timestamp, double, int, string, array<struct<…>>, … */
  type: string;
  /** The same type as CREATE TABLE spells it (struct field names in backticks). */
  ddl_type: string;
  duckdb_type: string;
  parquet_type: string;
}

export interface LakeTableOptions {
  lake: Store;
  /** The lake's table (its folder under the lake); default vehicle_positions. */
  lakeTable?: LakeTableName;
  /** The S3 root the table points at, when it is not --lake (a local lake uploaded there). */
  location?: Extract<Location, { kind: 's3' }>;
  /** Range of projected years; default: the lake's first year to five years past this one. */
  years?: [number, number];
  cacheDir: string;
  concurrency: number;
  reporter: Reporter;
  now?: Date;
}

/** The external table over the lake, as Athena DDL and the Glue API both describe it. */
export interface LakeTable {
  lake: string;
  /** The lake's table described. */
  lake_table: LakeTableName;
  /** s3://bucket/prefix/<table>/ */
  location: string;
  /** True when the lake is a local folder and no --location was given: LOCATION is a placeholder. */
  location_is_placeholder: boolean;
  columns: LakeColumn[];
  partition_keys: { name: string; type: string }[];
  /** Table properties: partition projection over year/month/day, so new days need no crawler. */
  parameters: Record<string, string>;
  partitions: number;
  first_day: string;
  last_day: string;
  /** The partition files whose Parquet footers gave the columns. */
  schema_read_from: string[];
}

export const partitionKeys = [
  { name: 'year', type: 'int' },
  { name: 'month', type: 'int' },
  { name: 'day', type: 'int' },
];

const placeholderRoot = 's3://YOUR-BUCKET/YOUR-PREFIX/';

/**
 * The files whose schema is read. A local lake's footers are cheap: all of them. An S3 lake would
 * have to be downloaded whole for that, so the oldest and newest partitions stand for it (the
 * writer's schema has only ever changed at the end, if at all).
 */
function schemaSample(partitions: LakePartition[]): LakePartition[] {
  if (partitions.every((p) => p.localPath) || partitions.length <= 2) return partitions;
  return [partitions[0]!, partitions[partitions.length - 1]!];
}

/** Reads the column list from the Parquet footers (sql/catalog/lake_columns.sql) and refuses unreadable types. */
export async function readLakeColumns(files: string[]): Promise<LakeColumn[]> {
  const db = await openDatabase();
  try {
    const rows = await readSqlFile(db.connection, 'catalog/lake_columns', { files: sqlStringList(files) });
    const problems = rows.filter((r) => r.problem);
    if (problems.length) {
      throw new OutputError(
        `the lake's Parquet files cannot be declared to Athena/Glue as they are: ${problems.map((r) => `column ${r.name} is ${r.problem}`).join('; ')}. ` +
          'Re-ingest the affected days with this rtlake version, which writes Athena-readable types.',
      );
    }
    const unmappable: string[] = [];
    const columns = rows.map((r) => {
      let type = { glue: String(r.athena_type), ddl: String(r.athena_type) };
      if (r.nested) {
        try {
          type = hiveTypeOf(String(r.duckdb_type));
        } catch (err) {
          if (!(err instanceof UnmappableTypeError)) throw err;
          unmappable.push(`column ${r.name} is ${r.duckdb_type}: ${err.message}`);
        }
      }
      return {
        name: String(r.name),
        type: type.glue,
        ddl_type: type.ddl,
        duckdb_type: String(r.duckdb_type),
        parquet_type: String(r.parquet_type),
      };
    });
    if (unmappable.length)
      throw new OutputError(
        `the lake's Parquet files cannot be declared to Athena/Glue as they are: ${unmappable.join('; ')}`,
      );
    return columns;
  } finally {
    db.close();
  }
}

/** The S3 folder of the table: <root>/<table>/ with exactly one slash between parts. */
export function tableLocation(
  root: Extract<Location, { kind: 's3' }>,
  table: LakeTableName = 'vehicle_positions',
): string {
  return `s3://${root.bucket}/${joinKey(root.prefix, `${table}/`)}`;
}

/** Partition projection properties for year=/month=/day= folders without zero padding. */
export function projectionParameters(location: string, years: [number, number]): Record<string, string> {
  return {
    classification: 'parquet',
    'projection.enabled': 'true',
    'projection.year.type': 'integer',
    'projection.year.range': `${years[0]},${years[1]}`,
    'projection.month.type': 'integer',
    'projection.month.range': '1,12',
    'projection.day.type': 'integer',
    'projection.day.range': '1,31',
    'storage.location.template': `${location}year=\${year}/month=\${month}/day=\${day}/`,
  };
}

/** Lists the lake, reads its schema and describes the external table over it. */
export async function describeLakeTable(options: LakeTableOptions): Promise<LakeTable> {
  const { lake, reporter } = options;
  const tableDir = options.lakeTable ?? 'vehicle_positions';
  reporter.stage(`listing the lake's ${tableDir}`);
  const partitions = await listLakePartitions(lake, tableDir);
  if (partitions.length === 0) {
    throw new NoInputError(
      `the lake ${lake.uri} has no partitions under ${tableDir}/ yet; run rtlake ingest --out ${lake.uri} first`,
    );
  }
  const sample = schemaSample(partitions);
  const dir = lake.readableFolder(lakeCopyDir(options.cacheDir, lake));
  const readable = (await syncLakeCopy(sample, dir, { ...options, prune: false })).partitions;
  reporter.stage('reading the Parquet schema', readable.length);
  const columns = await readLakeColumns(readable.map((p) => p.localPath!));

  const onS3 = options.location ? tableLocation(options.location, tableDir) : lake.s3Url(`${tableDir}/`);
  const location = onS3 ?? `${placeholderRoot}${tableDir}/`;
  const first = partitions[0]!;
  const last = partitions[partitions.length - 1]!;
  const thisYear = (options.now ?? new Date()).getUTCFullYear();
  const years = options.years ?? [first.year, Math.max(last.year, thisYear) + 5];
  if (years[0] > first.year || years[1] < last.year) {
    throw new UsageError(
      `--years ${years[0]},${years[1]} leaves out days the lake holds (${first.date} to ${last.date})`,
    );
  }
  return {
    lake: lake.uri,
    lake_table: tableDir,
    location,
    location_is_placeholder: onS3 === null,
    columns,
    partition_keys: partitionKeys,
    parameters: projectionParameters(location, years),
    partitions: partitions.length,
    first_day: first.date,
    last_day: last.date,
    schema_read_from: sample.map((p) => p.uri),
  };
}
