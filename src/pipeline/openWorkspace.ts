import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NoInputError } from '../errors.js';
import { openDatabase, type Database } from '../db/openDatabase.js';
import { runSqlFile } from '../db/runSqlFile.js';
import { sqlIdent, sqlString } from '../db/sqlText.js';
import type { Store } from '../store/store.js';
import { lakeCopyDir, listLakePartitions, syncLakeCopy } from './catalogLakeFiles.js';
import { dedupeSlots, type DedupeRule } from './dedupeRule.js';
import { loadArchive, type LoadSummary } from './ingest/loadArchive.js';
import type { Reporter } from './reporter.js';
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
export async function readableLake(lake: Store, options: WorkspaceOptions): Promise<string> {
  if (lake.remote) options.reporter.stage(`listing ${lake.uri}`);
  const partitions = await listLakePartitions(lake);
  const root = lake.readableFolder(lakeCopyDir(options.cacheDir, lake));
  await syncLakeCopy(partitions, root, {
    lake,
    concurrency: options.concurrency,
    reporter: options.reporter,
    prune: true,
  });
  return root;
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
      '20_dedupe',
      dedupeSlots(options.rule, 'pings', 'vehicle_positions', 'VIEW'),
    );
    await runSqlFile(db.connection, '50_views_source');
    relations.push('vehicle_positions', 'pings', 'duplicate_groups');
    parts.push(
      `${run.summary.keys_loaded} files from ${options.sources.map((s) => s.uri).join(', ')} (${run.summary.rows_read} pings)`,
    );
  } else {
    db = await openDatabase();
    dispose = async () => db.close();
  }
  let localLake: string | undefined;
  try {
    if (options.lake) {
      localLake = await readableLake(options.lake, options);
      const dir = join(localLake, tableDir);
      if (!(await hasParquet(dir))) {
        throw new NoInputError(
          `no lake at ${options.lake.uri}: ${tableDir}/ holds no Parquet files (give --lake what ingest --out was given)`,
        );
      }
      const viewName = relations.length > 0 ? 'lake_vehicle_positions' : 'vehicle_positions';
      const glob = join(dir, '**', '*.parquet');
      await runSqlFile(db.connection, '51_views_lake', { glob: sqlString(glob), view: sqlIdent(viewName) });
      relations.push(viewName);
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
    dispose,
  };
}
