import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NoInputError } from '../errors.js';
import { openDatabase, type Database } from '../db/openDatabase.js';
import { runSqlFile } from '../db/runSqlFile.js';
import { sqlIdent, sqlString, sqlStringList } from '../db/sqlText.js';
import type { Store } from '../store/store.js';
import { lakeCopyDir, listLakePartitions, syncLakeCopy } from './catalogLakeFiles.js';
import { dedupeSlots, differingColumns, type DedupeRule } from './dedupeRule.js';
import { loadArchive, type LoadSummary } from './ingest/loadArchive.js';
import type { Reporter } from './reporter.js';
import { selectPartitions, type DaySelection } from './lakeSelection.js';
import { tableDir } from './lakeLayout.js';

export interface WorkspaceOptions {
  /** What `ingest --out` was given: the folder or prefix holding vehicle_positions/. */
  lake?: Store;
  /** Raw archives: loaded into pings, with vehicle_positions and duplicate_groups over them. */
  sources?: Store[];
  glob: string;
  rule: DedupeRule;
  concurrency: number;
  cacheDir: string;
  maxObjectSize: number;
  reporter: Reporter;
  /** Only these days of the lake (an S3 lake copies only them; the view reads only them). */
  selectDays?: DaySelection;
}

export interface Workspace {
  db: Database;
  /** The views and tables made ready, in the order a catalog should show them. */
  relations: string[];
  /** One line saying what is open, for a status bar. */
  description: string;
  /** When raw sources were loaded: what loading found. */
  loadSummary?: LoadSummary;
  /** Local folder holding the lake's vehicle_positions/ (a synced copy for an S3 lake). */
  localLake?: string;
  /** The lake's Parquet files the view reads (local paths). */
  lakeFiles?: string[];
  dispose(): Promise<void>;
}

async function hasParquet(dir: string): Promise<boolean> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return false;
  }
  return entries.some((e) => e.isFile() && e.name.endsWith('.parquet'));
}

/**
 * Makes the lake readable as local files: a folder is read in place; a bucket's partitions are
 * copied into the local cache (only those whose ETag changed, removing copies of days the lake no
 * longer has), with catalog/export's sync. DuckDB then reads the copy: there is no httpfs here.
 * Returns the folder holding vehicle_positions/.
 */
export async function readableLake(
  lake: Store,
  options: WorkspaceOptions,
): Promise<{ root: string; files: string[] }> {
  if (lake.remote) options.reporter.stage(`listing ${lake.uri}`);
  const partitions = selectPartitions(
    await listLakePartitions(lake),
    options.selectDays,
    lake,
    options.reporter,
  );
  const root = lake.readableFolder(lakeCopyDir(options.cacheDir, lake));
  const synced = await syncLakeCopy(partitions, root, {
    lake,
    concurrency: options.concurrency,
    reporter: options.reporter,
    // With a selection the other days' copies stay in the cache (its size cap evicts them).
    prune: !options.selectDays,
  });
  return { root, files: synced.partitions.flatMap((p) => (p.localPath ? [p.localPath] : [])) };
}

/**
 * Opens DuckDB with the views an analyst explores: over a lake, `vehicle_positions` (every day
 * partition); over raw sources, `pings` (before dedupe), `vehicle_positions` (deduplicated under the
 * rule) and `duplicate_groups`. With both, the lake's view is `lake_vehicle_positions`.
 */
export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const relations: string[] = [];
  const parts: string[] = [];
  let db: Database;
  let loadSummary: LoadSummary | undefined;
  let dispose: () => Promise<void>;
  if (options.sources && options.sources.length > 0) {
    const run = await loadArchive({ ...options, sources: options.sources, strict: false, everyRow: true });
    db = run.db;
    loadSummary = run.summary;
    dispose = run.dispose;
    await runSqlFile(
      db.connection,
      'dedupe/01_vehicle_positions',
      dedupeSlots(options.rule, 'pings', 'vehicle_positions', 'VIEW'),
    );
    await runSqlFile(db.connection, 'dedupe/02_duplicate_groups', {
      differing_columns: differingColumns('p'),
    });
    relations.push('vehicle_positions', 'pings', 'duplicate_groups');
    parts.push(
      `${run.summary.keys_loaded} files from ${options.sources.map((s) => s.uri).join(', ')} (${run.summary.rows_read} pings)`,
    );
  } else {
    db = await openDatabase();
    dispose = async () => db.close();
  }
  let localLake: string | undefined;
  let lakeFiles: string[] | undefined;
  try {
    if (options.lake) {
      ({ root: localLake, files: lakeFiles } = await readableLake(options.lake, options));
      const dir = join(localLake, tableDir);
      if (options.selectDays && lakeFiles.length === 0) {
        throw new NoInputError(`the lake ${options.lake.uri} has no partition for the days asked for`);
      }
      if (!(await hasParquet(dir))) {
        throw new NoInputError(
          `no lake at ${options.lake.uri}: ${tableDir}/ holds no Parquet files (give --lake what ingest --out was given)`,
        );
      }
      const viewName = relations.length > 0 ? 'lake_vehicle_positions' : 'vehicle_positions';
      const files = options.selectDays ? sqlStringList(lakeFiles) : sqlString(join(dir, '**', '*.parquet'));
      await runSqlFile(db.connection, 'lake/vehicle_positions', { files, view: sqlIdent(viewName) });
      relations.push(viewName);
      // The lake's other tables (ingest --feed), over every day partition of a local lake.
      for (const table of ['trip_updates', 'alerts']) {
        const tableFolder = join(localLake, table);
        if (options.selectDays || !(await hasParquet(tableFolder))) continue;
        const name = viewName === 'vehicle_positions' ? table : `lake_${table}`;
        await runSqlFile(db.connection, 'lake/vehicle_positions', {
          files: sqlString(join(tableFolder, '**', '*.parquet')),
          view: sqlIdent(name),
        });
        relations.push(name);
      }
      parts.push(`lake ${options.lake.uri}`);
    }
  } catch (err) {
    await dispose();
    throw err;
  }
  return {
    db,
    relations,
    description: parts.join(' + ') || 'empty workspace',
    ...(loadSummary ? { loadSummary } : {}),
    ...(localLake ? { localLake } : {}),
    ...(lakeFiles ? { lakeFiles } : {}),
    dispose,
  };
}
