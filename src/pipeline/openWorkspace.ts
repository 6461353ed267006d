import { join } from 'node:path';
import { NoInputError } from '../errors.js';
import { openDatabase, type Database } from '../db/openDatabase.js';
import { runSqlFile } from '../db/runSqlFile.js';
import { sqlIdent, sqlString, sqlStringList } from '../db/sqlText.js';
import type { Store } from '../store/store.js';
import { lakeCopyDir, listLakeTables, syncLakeCopy } from './catalogLakeFiles.js';
import { dedupeSlots, differingColumns, type DedupeRule } from './dedupeRule.js';
import { loadArchive, type LoadSummary } from './ingest/loadArchive.js';
import type { Reporter } from './reporter.js';
import { selectPartitions, type DaySelection } from './lakeSelection.js';
import { lakeTableNames, type LakeTableName } from './lakeTables.js';

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
  /** Only these days of the lake (an S3 lake copies only them; the views read only them). */
  selectDays?: DaySelection;
  /** Per table, instead of selectDays: its days, or 'skip' (not copied, no view). */
  tableDays?: Partial<Record<LakeTableName, TableDays>>;
}

export interface Workspace {
  db: Database;
  /** The views and tables made ready, in the order a catalog should show them. */
  relations: string[];
  /** One line saying what is open, for a status bar. */
  description: string;
  /** When raw sources were loaded: what loading found. */
  loadSummary?: LoadSummary;
  /** Local folder holding the lake's table folders (a synced copy for an S3 lake). */
  localLake?: string;
  /** The lake's Parquet files the views read (local paths). */
  lakeFiles?: string[];
  dispose(): Promise<void>;
}

/** Which days of one lake table to open: a selection, every day (undefined), or none (skip). */
export type TableDays = DaySelection | 'skip';

/**
 * Makes the lake's tables readable as local files: a folder is read in place; a bucket's partitions
 * are copied into the local cache (only those whose ETag changed, removing copies of days the lake
 * no longer has), with catalog/export's sync. DuckDB then reads the copy: there is no httpfs here.
 * Returns the folder holding the table folders and each table's files (empty: nothing to open).
 */
export async function readableLake(
  lake: Store,
  options: WorkspaceOptions,
): Promise<{ root: string; files: string[]; tables: Record<LakeTableName, string[]> }> {
  if (lake.remote) options.reporter.stage(`listing ${lake.uri}`);
  const daysOf = (table: LakeTableName): TableDays | undefined =>
    options.tableDays?.[table] ?? options.selectDays;
  const opened = lakeTableNames.filter((t) => daysOf(t) !== 'skip');
  const listed = await listLakeTables(lake, opened);
  const chosen = opened.flatMap((t) => {
    const days = daysOf(t);
    return days === undefined ? listed[t] : listed[t].filter(days as DaySelection);
  });
  const everyDay = opened.every((t) => daysOf(t) === undefined);
  const partitions = selectPartitions(chosen, everyDay ? undefined : () => true, lake, options.reporter);
  const root = lake.readableFolder(lakeCopyDir(options.cacheDir, lake));
  const synced = await syncLakeCopy(partitions, root, {
    lake,
    concurrency: options.concurrency,
    reporter: options.reporter,
    // With a selection the other days' copies stay in the cache (its size cap evicts them).
    prune: everyDay && opened.length === lakeTableNames.length,
  });
  const tables = Object.fromEntries(lakeTableNames.map((t) => [t, [] as string[]])) as Record<
    LakeTableName,
    string[]
  >;
  for (const p of synced.partitions) if (p.localPath) tables[p.table].push(p.localPath);
  return { root, files: synced.partitions.flatMap((p) => (p.localPath ? [p.localPath] : [])), tables };
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
      const readable = await readableLake(options.lake, options);
      localLake = readable.root;
      lakeFiles = readable.files;
      const everyDay = !options.selectDays && !options.tableDays;
      if (!everyDay && lakeFiles.length === 0) {
        throw new NoInputError(`the lake ${options.lake.uri} has no partition for the days asked for`);
      }
      if (lakeFiles.length === 0) {
        throw new NoInputError(
          `no lake at ${options.lake.uri}: ${lakeTableNames.map((t) => `${t}/`).join(', ')} hold no Parquet files (give --lake what ingest --out was given)`,
        );
      }
      // One view per table that has files: over every day partition (a pattern read at query time,
      // so days ingested later appear), or, with any selection (the copy is then not pruned, so it
      // may hold days the lake no longer has), exactly the files synced.
      for (const table of lakeTableNames) {
        const files = readable.tables[table];
        if (files.length === 0) continue;
        // Beside raw sources' own vehicle_positions, the lake's tables are lake_*.
        const name = options.sources?.length ? `lake_${table}` : table;
        await runSqlFile(db.connection, 'lake/vehicle_positions', {
          files: everyDay ? sqlString(join(localLake, table, '**', '*.parquet')) : sqlStringList(files),
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
