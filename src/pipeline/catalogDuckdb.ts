import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { NoInputError, OutputError, UsageError, oneLine } from '../errors.js';
import type { Store } from '../store/store.js';
import { openDatabase, type Database } from '../db/openDatabase.js';
import { readSqlFile, runSqlFile } from '../db/runSqlFile.js';
import { sqlIdent, sqlString, sqlStringList } from '../db/sqlText.js';
import { listLakePartitions, syncLakeCopy } from './catalogLakeFiles.js';
import type { Reporter } from './reporter.js';
import { selectPartitions, type DaySelection } from './lakeSelection.js';
import { partitionFile, tableDir } from './lakeLayout.js';

export interface DuckdbCatalogOptions {
  lake: Store;
  /** The DuckDB database file to create or update. */
  out: string;
  /** For an S3 lake: where its local copy is kept (default: <out name>-parquet/ beside the file). */
  copyDir?: string;
  concurrency: number;
  reporter: Reporter;
  /** Only these days: the copy holds only them and the view reads exactly their files. */
  selectDays?: DaySelection;
}

export interface DuckdbCatalogSummary {
  lake: string;
  database: string;
  views: string[];
  /** The absolute file pattern the view reads. */
  parquet_glob: string;
  /** For an S3 lake, the local copy the view reads (re-run the command to refresh it); else null. */
  local_copy: string | null;
  partitions: number;
  rows: number;
  copy: { downloaded: number; reused: number; removed: number; bytes_downloaded: number } | null;
}

/** The default folder for an S3 lake's copy: lake.duckdb -> lake-parquet/ beside it. */
export function defaultCopyDir(out: string): string {
  const file = resolve(out);
  return join(dirname(file), `${basename(file, extname(file))}-parquet`);
}

/**
 * Writes a DuckDB database file whose view `vehicle_positions` reads the lake's Parquet files by
 * absolute path, for Tableau (DuckDB JDBC), DBeaver, Python or the DuckDB CLI. A local lake is read
 * in place, so later ingests show up at once. DuckDB here cannot read S3, so an S3 lake is mirrored
 * to a local folder first and the view reads that copy. Other objects in an existing file are kept.
 */
export async function catalogDuckdb(options: DuckdbCatalogOptions): Promise<DuckdbCatalogSummary> {
  const { lake, reporter } = options;
  const out = resolve(options.out);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(options.out))
    throw new UsageError(`--out ${options.out}: the DuckDB catalog is a local file`);
  reporter.stage('listing the lake');
  const partitions = selectPartitions(await listLakePartitions(lake), options.selectDays, lake, reporter);
  if (partitions.length === 0) {
    throw new NoInputError(
      options.selectDays
        ? `the lake ${lake.uri} has no partition for the days asked for`
        : `the lake ${lake.uri} has no partitions under ${tableDir}/ yet; run rtlake ingest --out ${lake.uri} first`,
    );
  }
  const root = lake.readableFolder(resolve(options.copyDir ?? defaultCopyDir(out)));
  const synced = await syncLakeCopy(partitions, root, { ...options, prune: true });
  const copy: DuckdbCatalogSummary['copy'] = synced.copied
    ? {
        downloaded: synced.downloaded,
        reused: synced.reused,
        removed: synced.removed,
        bytes_downloaded: synced.bytes_downloaded,
      }
    : null;
  const glob = join(root, tableDir, 'year=*', 'month=*', 'day=*', partitionFile);
  const files = synced.partitions.flatMap((p) => (p.localPath ? [p.localPath] : []));

  reporter.stage('writing the DuckDB catalog');
  await mkdir(dirname(out), { recursive: true });
  let db: Database;
  try {
    db = await openDatabase({ path: out });
  } catch (err) {
    throw new OutputError(
      `cannot open ${out} for writing (${oneLine(err)}); close any program that has it open (Tableau, DBeaver, duckdb) and re-run`,
    );
  }
  try {
    await runSqlFile(db.connection, 'lake/vehicle_positions', {
      files: options.selectDays ? sqlStringList(files) : sqlString(glob),
      view: sqlIdent('vehicle_positions'),
    });
    const [count] = await readSqlFile(db.connection, 'catalog/duckdb_catalog_counts');
    return {
      lake: lake.uri,
      database: out,
      views: ['vehicle_positions'],
      parquet_glob: glob,
      local_copy: synced.copied ? root : null,
      partitions: Number(count?.partitions ?? 0),
      rows: Number(count?.rows ?? 0),
      copy,
    };
  } finally {
    db.close();
  }
}
