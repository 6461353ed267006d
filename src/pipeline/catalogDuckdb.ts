import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { NoInputError, OutputError, UsageError, oneLine } from '../errors.js';
import type { Store } from '../store/store.js';
import { openDatabase, type Database } from '../db/openDatabase.js';
import { readSqlFile, runSqlFile } from '../db/runSqlFile.js';
import { sqlIdent, sqlString, sqlStringList } from '../db/sqlText.js';
import { listLakeTables, syncLakeCopy } from './catalogLakeFiles.js';
import type { LakeTableName } from './lakeTables.js';
import type { Reporter } from './reporter.js';
import { selectPartitions, type DaySelection } from './lakeSelection.js';
import { partitionFile } from './lakeLayout.js';

export interface DuckdbCatalogOptions {
  lake: Store;
  /** The DuckDB database file to create or update. */
  out: string;
  /** For an S3 lake: where its local copy is kept (default: <out name>-parquet/ beside the file). */
  copyDir?: string;
  concurrency: number;
  reporter: Reporter;
  /** Only these days: the copy holds only them and the views read exactly their files. */
  selectDays?: DaySelection;
  /** The lake's tables to make views of (default vehicle_positions); each must have partitions. */
  tables?: readonly LakeTableName[];
  /** `--feed all`: leave out the tables without partitions (in the days asked for) instead. */
  presentOnly?: boolean;
}

/** One view of the file: the table it reads and what it sees. */
export interface DuckdbCatalogView {
  /** The absolute file pattern the view reads. */
  parquet_glob: string;
  partitions: number;
  rows: number;
}

export interface DuckdbCatalogSummary {
  lake: string;
  database: string;
  views: LakeTableName[];
  /** The absolute file pattern the (first) view reads: vehicle_positions' when it is made. */
  parquet_glob: string;
  /** For an S3 lake, the local copy the views read (re-run the command to refresh it); else null. */
  local_copy: string | null;
  /** Partitions and rows of the first view (vehicle_positions' when it is made), as before --feed. */
  partitions: number;
  rows: number;
  copy: { downloaded: number; reused: number; removed: number; bytes_downloaded: number } | null;
  /** Every view made, by name. */
  tables: Partial<Record<LakeTableName, DuckdbCatalogView>>;
}

/** The default folder for an S3 lake's copy: lake.duckdb -> lake-parquet/ beside it. */
export function defaultCopyDir(out: string): string {
  const file = resolve(out);
  return join(dirname(file), `${basename(file, extname(file))}-parquet`);
}

/**
 * Writes a DuckDB database file with one view per lake table asked for (vehicle_positions,
 * trip_updates, alerts), each reading the table's Parquet files by absolute path, for Tableau
 * (DuckDB JDBC), DBeaver, Python or the DuckDB CLI. A local lake is read in place, so later ingests
 * show up at once. DuckDB here cannot read S3, so an S3 lake is mirrored to a local folder first and
 * the views read that copy. Other objects in an existing file are kept.
 */
export async function catalogDuckdb(options: DuckdbCatalogOptions): Promise<DuckdbCatalogSummary> {
  const { lake, reporter } = options;
  let tables = options.tables ?? ['vehicle_positions'];
  const out = resolve(options.out);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(options.out))
    throw new UsageError(`--out ${options.out}: the DuckDB catalog is a local file`);
  reporter.stage('listing the lake');
  const listed = await listLakeTables(lake, tables);
  const chosen = tables.flatMap((t) => listed[t]);
  const partitions = selectPartitions(chosen, options.selectDays, lake, reporter);
  if (options.presentOnly) {
    const present = tables.filter((t) => partitions.some((p) => p.table === t));
    const absent = tables.filter((t) => !present.includes(t));
    if (present.length > 0 && absent.length > 0) {
      reporter.info(
        `the lake holds no ${absent.join(' or ')}${options.selectDays ? ' for the days asked for' : ''}: no view`,
      );
      tables = present;
    }
  }
  for (const table of tables) {
    if (partitions.some((p) => p.table === table)) continue;
    throw new NoInputError(
      options.selectDays
        ? `the lake ${lake.uri} has no ${table} partition for the days asked for`
        : `the lake ${lake.uri} has no partitions under ${table}/ yet; run rtlake ingest --out ${lake.uri}${table === 'vehicle_positions' ? '' : ` --feed ${table}`} first`,
    );
  }
  const root = lake.readableFolder(resolve(options.copyDir ?? defaultCopyDir(out)));
  const synced = await syncLakeCopy(partitions, root, { ...options, prune: true, tables });
  const copy: DuckdbCatalogSummary['copy'] = synced.copied
    ? {
        downloaded: synced.downloaded,
        reused: synced.reused,
        removed: synced.removed,
        bytes_downloaded: synced.bytes_downloaded,
      }
    : null;

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
    const views: DuckdbCatalogSummary['tables'] = {};
    for (const table of tables) {
      const glob = join(root, table, 'year=*', 'month=*', 'day=*', partitionFile);
      const files = synced.partitions.flatMap((p) => (p.table === table && p.localPath ? [p.localPath] : []));
      await runSqlFile(db.connection, 'lake/vehicle_positions', {
        files: options.selectDays ? sqlStringList(files) : sqlString(glob),
        view: sqlIdent(table),
      });
      const [count] = await readSqlFile(db.connection, 'catalog/duckdb_catalog_counts', {
        view: sqlIdent(table),
      });
      views[table] = {
        parquet_glob: glob,
        partitions: Number(count?.partitions ?? 0),
        rows: Number(count?.rows ?? 0),
      };
    }
    const first = views[tables[0]!]!;
    return {
      lake: lake.uri,
      database: out,
      views: [...tables],
      parquet_glob: first.parquet_glob,
      local_copy: synced.copied ? root : null,
      partitions: first.partitions,
      rows: first.rows,
      copy,
      tables: views,
    };
  } finally {
    db.close();
  }
}
