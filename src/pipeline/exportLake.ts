import { isDeepStrictEqual } from 'node:util';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoInputError, OutputError, QueryError, RtlakeError, UsageError, oneLine } from '../errors.js';
import { openDatabase, type Database } from '../db/openDatabase.js';
import { readSqlFile, runSqlFile } from '../db/runSqlFile.js';
import {
  sql,
  sqlIdent,
  sqlIdentList,
  sqlKeyword,
  sqlString,
  sqlStringList,
  sqlUserExpression,
  type SqlFragment,
} from '../db/sqlText.js';
import type { Store } from '../store/store.js';
import { formatDay, parseDay as parseCalendarDay } from './dayMode.js';
import { lakeCopyDir, listLakePartitions, syncLakeCopy, type LakePartition } from './catalogLakeFiles.js';
import type { Reporter } from './reporter.js';
import { lakeTableInfo, type LakeTableName } from './lakeTables.js';
import { copyOptions as sharedCopyOptions } from '../db/exportQuery.js';

export const exportFormats = ['parquet', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** File-name endings that make --to a file rather than a folder, per format. */
const extensions: Record<ExportFormat, string[]> = {
  parquet: ['.parquet'],
  csv: ['.csv'],
  jsonl: ['.jsonl', '.ndjson', '.json'],
};

// The same COPY options as `query --format` and the workbench's export, so the bytes are the same.
const copyOptions: Record<ExportFormat, string> = {
  parquet: sharedCopyOptions.parquet,
  csv: sharedCopyOptions.csv,
  jsonl: sharedCopyOptions.jsonl,
};

const contentTypes: Record<ExportFormat, string> = {
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
};

/** The lake's partition columns: in the folder names, left out of an export unless asked for. */
const partitionColumns = ['year', 'month', 'day'];

export interface ExportOptions {
  lake: Store;
  /** The lake's table to export (default vehicle_positions). */
  table?: LakeTableName;
  /** First and last UTC day, YYYY-MM-DD, inclusive. Omitted: the lake's first / last day. */
  from?: string;
  to?: string;
  /** A folder or s3:// prefix (the file is named after the days), or a file name ending in the format's extension. */
  destination: Store;
  /** Omitted: from the destination's extension, else parquet. */
  format?: ExportFormat;
  /** A SQL expression over the columns of the table (user SQL, run in a sandboxed session). */
  where?: string;
  columns?: string[];
  cacheDir: string;
  concurrency: number;
  reporter: Reporter;
}

export interface ExportSummary {
  lake: string;
  table: LakeTableName;
  destination: string;
  format: ExportFormat;
  from: string;
  to: string;
  days: string[];
  partitions_read: number;
  rows: number;
  bytes: number;
  columns: string[];
  where: string | null;
  seconds: number;
}

/** Parses YYYY-MM-DD as a real calendar day (day mode's parser) and returns it unchanged. */
export function parseDay(text: string, flag: string): string {
  return formatDay(parseCalendarDay(text, flag));
}

function formatOf(
  destination: Store,
  format: ExportFormat | undefined,
): { format: ExportFormat; isFile: boolean } {
  const name = destination.name.toLowerCase();
  const byName = exportFormats.find((f) => extensions[f].some((e) => name.endsWith(e)));
  if (byName && format && byName !== format) {
    throw new UsageError(
      `--to ${destination.uri} ends in ${name.slice(name.lastIndexOf('.'))} but --format is ${format}`,
    );
  }
  return { format: format ?? byName ?? 'parquet', isFile: byName !== undefined };
}

/** The text with every query_location (a byte offset) removed, to compare parse trees by shape. */
function withoutLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocations);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'query_location')
        .map(([k, v]) => [k, withoutLocations(v)]),
    );
  }
  return value;
}

async function parseTree(
  db: Database,
  probe: string,
): Promise<{ error?: boolean; error_message?: string; statements?: { node: Record<string, unknown> }[] }> {
  const [row] = await readSqlFile(db.connection, 'export/01_where_probe', { probe: sqlString(probe) });
  return JSON.parse(String(row?.parsed ?? '{}'));
}

const probeOf = (where: string) => `SELECT * FROM lake_table WHERE (\n${where}\n)`;

/**
 * --where is SQL by nature: an expression such as `route_id = 'Red' AND bearing > 90`. It must
 * parse as exactly one expression: the statement it is placed in must have the same shape as with
 * `true` in its place, so text like `true) UNION SELECT …` or `1; COPY …` is refused here. It then
 * runs in a session that can read only the chosen partitions (sql/export/02_sandbox.sql).
 */
async function checkWhere(db: Database, where: string): Promise<SqlFragment> {
  if (where.trim() === '') throw new UsageError('--where is empty');
  const tree = await parseTree(db, probeOf(where));
  if (tree.error)
    throw new UsageError(`--where does not parse as an SQL expression: ${oneLine(tree.error_message ?? '')}`);
  const baseline = await parseTree(db, probeOf('true'));
  const strip = (t: typeof tree) => {
    const node = { ...(withoutLocations(t.statements?.[0]?.node) as Record<string, unknown>) };
    delete node.where_clause;
    return { count: t.statements?.length, node };
  };
  if (!isDeepStrictEqual(strip(tree), strip(baseline))) {
    throw new UsageError(
      '--where must be one SQL expression (a filter such as "route_id = \'Red\'"), not a query or several statements',
    );
  }
  // The user's text, placed verbatim: it has just been shown to be exactly one expression.
  return sqlUserExpression(where);
}

/** --columns a,b: each must be a column of the lake; quoted as identifiers. */
function chooseColumns(available: string[], requested: string[] | undefined): string[] {
  if (!requested || requested.length === 0) return available.filter((c) => !partitionColumns.includes(c));
  const byLower = new Map(available.map((c) => [c.toLowerCase(), c]));
  const unknown = requested.filter((c) => !byLower.has(c.toLowerCase()));
  if (unknown.length) {
    throw new UsageError(
      `--columns: no column ${unknown.map((c) => JSON.stringify(c)).join(', ')} in the lake; columns are ${available.join(', ')}`,
    );
  }
  return requested.map((c) => byLower.get(c.toLowerCase())!);
}

/** The partitions of the chosen days, as local files (an S3 lake's are copied first). */
async function readableDays(
  options: ExportOptions,
): Promise<{ from: string; to: string; readable: LakePartition[]; lakeRoot: string }> {
  const { lake } = options;
  const table = options.table ?? 'vehicle_positions';
  if (options.from && options.to && options.from > options.to) {
    throw new UsageError(`--from ${options.from} is after --to ${options.to}`);
  }
  options.reporter.stage('listing the lake');
  const all = await listLakePartitions(lake, table);
  if (all.length === 0) {
    throw new NoInputError(
      `the lake ${lake.uri} has no partitions under ${table}/ yet; run rtlake ingest --out ${lake.uri}${table === 'vehicle_positions' ? '' : ` --feed ${table}`} first`,
    );
  }
  const from = options.from ?? all[0]!.date;
  const to = options.to ?? all[all.length - 1]!.date;
  const chosen = all.filter((p) => p.date >= from && p.date <= to);
  if (chosen.length === 0) {
    throw new NoInputError(
      `the lake ${lake.uri} has no day from ${from} to ${to}${table === 'vehicle_positions' ? '' : ` in ${table}`} (it holds ${all.length} day(s) from ${all[0]!.date} to ${all[all.length - 1]!.date})`,
    );
  }
  const lakeRoot = lake.readableFolder(lakeCopyDir(options.cacheDir, lake));
  const readable = (await syncLakeCopy(chosen, lakeRoot, { ...options, prune: false })).partitions;
  if (readable.length === 0)
    throw new NoInputError(`every chosen day of ${lake.uri} disappeared while it was read`);
  return { from, to, readable, lakeRoot };
}

/** Writes the chosen rows and columns to `workFile` in a session that can read only those days. */
async function writeExportFile(
  options: ExportOptions,
  days: { readable: LakePartition[]; lakeRoot: string; span: string },
  format: ExportFormat,
  workDir: string,
  workFile: string,
): Promise<{ rows: number; columns: string[] }> {
  const table = options.table ?? 'vehicle_positions';
  const db = await openDatabase({ tempDirectory: join(workDir, 'spill') });
  try {
    const where = options.where === undefined ? sql`true` : await checkWhere(db, options.where);
    await runSqlFile(db.connection, 'lake/vehicle_positions', {
      files: sqlStringList(days.readable.map((p) => p.localPath!)),
      view: sqlIdent(table),
    });
    await runSqlFile(db.connection, 'export/02_sandbox', {
      allowed: sqlStringList([`${join(days.lakeRoot, table)}/`, `${workDir}/`]),
    });
    const available = (await readSqlFile(db.connection, 'export/03_columns', { table: sqlIdent(table) })).map(
      (r) => String(r.column_name),
    );
    const columns = chooseColumns(available, options.columns);
    options.reporter.stage(`exporting ${days.readable.length} day(s) to ${format}`);
    try {
      const result = await runSqlFile(db.connection, 'export/04_export_file', {
        table: sqlIdent(table),
        order: sqlIdentList(lakeTableInfo[table].exportOrder),
        columns: sqlIdentList(columns),
        where,
        file: sqlString(workFile),
        format: sqlKeyword(copyOptions[format], Object.values(copyOptions)),
      });
      return { rows: Number(result.rowsChanged), columns };
    } catch (err) {
      if (err instanceof RtlakeError) throw err; // out of memory, interrupted
      if (options.where !== undefined)
        throw new QueryError(`--where failed: ${oneLine(err)}`, { cause: err });
      throw new OutputError(`exporting ${days.span} failed: ${oneLine(err)}`, { cause: err });
    }
  } finally {
    db.close();
  }
}

/**
 * Exports some UTC days of the lake to one Parquet, CSV or JSON-lines file, in a folder or on S3.
 * Only the day partitions in the range are listed, fetched and read. The file appears whole or not
 * at all (written aside, then renamed or uploaded in one PUT).
 */
export async function exportLake(options: ExportOptions): Promise<ExportSummary> {
  const started = Date.now();
  const { lake, reporter, destination } = options;
  const { format, isFile } = formatOf(destination, options.format);
  const { from, to, readable, lakeRoot } = await readableDays(options);
  const span = from === to ? from : `${from}_${to}`;
  const table = options.table ?? 'vehicle_positions';
  const fileName = isFile ? destination.name : `${table}_${span}${extensions[format][0]}`;
  const workDir = await mkdtemp(join(tmpdir(), 'rtlake-export-'));
  const workFile = join(workDir, fileName);
  try {
    const { rows, columns } = await writeExportFile(
      options,
      { readable, lakeRoot, span },
      format,
      workDir,
      workFile,
    );
    const bytes = (await stat(workFile)).size;
    const rel = isFile ? '' : fileName;
    if (destination.remote) reporter.stage('uploading');
    await destination.publish(workFile, rel, { contentType: contentTypes[format] });
    return {
      lake: lake.uri,
      table,
      destination: destination.uriOf(rel),
      format,
      from,
      to,
      days: readable.map((p) => p.date),
      partitions_read: readable.length,
      rows,
      bytes,
      columns,
      where: options.where ?? null,
      seconds: Math.round((Date.now() - started) / 10) / 100,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
