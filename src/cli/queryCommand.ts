import { Option, type Command } from 'commander';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { QueryError, UsageError } from '../errors.js';
import { describeDuckDBError, translateDuckDBError } from '../db/duckdbErrors.js';
import { copyOptions, exportQuery, type CopyFormat } from '../db/exportQuery.js';
import { splitStatements } from '../db/splitStatements.js';
import { streamResult } from '../db/streamRows.js';
import { parseLocation } from '../location.js';
import { openWorkspace, type TableDays } from '../pipeline/openWorkspace.js';
import { parseRule, resolveConfig } from './config.js';
import { keepCacheUnderCap, lakeDays, reporterFor } from './context.js';
import { lakeTablesOfQuery } from '../db/partitionFilter.js';
import { lakeTableNames, type LakeTableName } from '../pipeline/lakeTables.js';
import {
  addArchiveFlags,
  addLakeDaysFlags,
  addRuleFlags,
  addS3Flags,
  defaults,
  nonNegativeInt,
  oneOf,
  type ArchiveFlags,
  type DayRangeFlags,
  type GlobalFlags,
  type RuleFlags,
  type S3Flags,
} from './flags.js';
import type { Io } from './program.js';
import { writeLines, writeMarkdown, writeTable, writeTsv } from './queryOutput.js';
import { finishProgress, onInterrupt, writeOut } from './runtime.js';

export const queryFormats = ['table', 'markdown', 'tsv', 'line', 'csv', 'json', 'jsonl', 'parquet'] as const;
export type QueryFormat = (typeof queryFormats)[number];

type QueryFlags = S3Flags &
  DayRangeFlags &
  ArchiveFlags &
  RuleFlags &
  GlobalFlags & {
    lake?: string;
    file?: string;
    format?: QueryFormat;
    json?: boolean;
    maxRows: number;
  };

/** The SQL to run: the argument, else -f FILE ("-" is stdin), else standard input when it is not a terminal. */
async function readSql(argument: string | undefined, file: string | undefined): Promise<string> {
  if (argument !== undefined && file !== undefined)
    throw new UsageError('give the SQL as an argument or with -f, not both');
  if (argument !== undefined) return argument;
  if (file !== undefined && file !== '-') {
    return readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`-f ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    });
  }
  if (file === undefined && process.stdin.isTTY)
    throw new UsageError('give the SQL: rtlake query --lake L "SELECT …", -f file.sql, or on standard input');
  const parts: Buffer[] = [];
  for await (const part of process.stdin) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** csv, json, jsonl and parquet are written by DuckDB's COPY (as export writes them), then streamed out. */
async function copyToStdout(
  connection: Parameters<typeof exportQuery>[0],
  statements: string[],
  format: CopyFormat,
): Promise<void> {
  for (const s of statements.slice(0, -1)) await connection.run(s);
  const dir = await mkdtemp(join(tmpdir(), 'rtlake-query-'));
  try {
    const file = join(dir, `result.${format}`);
    await exportQuery(connection, statements.at(-1)!.replace(/;\s*$/, ''), file, format);
    finishProgress();
    await pipeline(createReadStream(file), process.stdout, { end: false });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function registerQuery(program: Command, _io: Io): void {
  const cmd = program
    .command('query')
    .description(
      'run SQL over a lake (vehicle_positions, trip_updates, alerts) or raw sources (pings, vehicle_positions, duplicate_groups); several statements run in order and the last one is printed',
    )
    .argument('[sql]', 'the SQL (else -f FILE, else standard input)')
    .option('--lake <folder | s3://bucket/prefix>', 'what ingest --out was given')
    .option('-f, --file <file.sql>', 'read the SQL from a file ("-" for standard input)')
    .addOption(
      new Option('--format <format>', `output format: ${queryFormats.join(', ')}`)
        .argParser(oneOf(queryFormats))
        .default('table'),
    )
    .option('--json', 'same as --format json')
    .addOption(
      new Option('--max-rows <n>', 'table: rows printed at most (the first and last halves; 0: all)')
        .argParser(nonNegativeInt)
        .default(defaults.maxRows),
    );
  addLakeDaysFlags(cmd);
  addArchiveFlags(cmd, 'raw archive to load instead of (or beside) a lake (repeatable)');
  addS3Flags(cmd);
  addRuleFlags(cmd);
  cmd.action(async (sqlArgument: string | undefined, flags: QueryFlags, command: Command) => {
    const formatGiven = command.getOptionValueSource('format') !== 'default';
    if (flags.json && formatGiven && flags.format !== 'json')
      throw new UsageError(`--json means --format json, not --format ${flags.format}`);
    const format: QueryFormat = flags.json ? 'json' : (flags.format ?? 'table');
    if (format === 'parquet' && process.stdout.isTTY)
      throw new UsageError(
        '--format parquet writes binary: redirect standard output to a file (> result.parquet)',
      );
    if (!flags.lake && !flags.source?.length)
      throw new UsageError('give --lake (what ingest --out was given) or --source');
    const sql = await readSql(sqlArgument, flags.file);
    const statements = splitStatements(sql);
    if (statements.length === 0) throw new UsageError('the SQL is empty');
    const config = resolveConfig(flags);
    const lake = flags.lake ? config.storage.open(parseLocation(flags.lake, '--lake')) : undefined;
    // An S3 lake is copied before DuckDB reads it: only the days asked for, or, of the tables the
    // query names, the days its year/month/day predicates can select, where that can be told from
    // its parse tree (tables it does not name are not copied).
    const selectDays = lakeDays(flags);
    const tableDays =
      !selectDays && lake?.remote && !flags.source?.length ? await tableDaysOfQuery(sql) : undefined;
    const reporter = reporterFor(flags);
    const workspace = await openWorkspace({
      ...(lake ? { lake } : {}),
      ...(selectDays ? { selectDays } : {}),
      ...(tableDays ? { tableDays } : {}),
      ...(flags.source?.length
        ? { sources: flags.source.map((s) => config.storage.open(parseLocation(s, '--source'))) }
        : {}),
      glob: flags.glob,
      rule: parseRule(flags),
      concurrency: config.concurrency,
      cacheDir: config.cacheDir,
      maxObjectSize: flags.maxObjectSize,
      reporter,
    });
    await keepCacheUnderCap(config.cacheDir, flags.cacheMax, workspace.lakeFiles ?? [], reporter);
    const connection = workspace.db.connection;
    const stopInterrupt = onInterrupt(() => connection.interrupt());
    try {
      if (format in copyOptions) {
        await copyToStdout(connection, statements, format as CopyFormat).catch(rethrowAsQueryError);
        return;
      }
      const result = await streamResult(connection, statements.join(';\n')).catch(rethrowAsQueryError);
      const write = (text: string) => writeOut(text);
      const run =
        format === 'table'
          ? writeTable(result, write, {
              maxRows: flags.maxRows,
              ...(process.stdout.isTTY ? { terminalWidth: process.stdout.columns || 80 } : {}),
            })
          : format === 'markdown'
            ? writeMarkdown(result, write)
            : format === 'tsv'
              ? writeTsv(result, write)
              : writeLines(result, write);
      await run.catch(rethrowAsQueryError);
    } finally {
      stopInterrupt();
      await workspace.dispose();
    }
  });
}

/** What each lake table needs for this SQL: skip it, some days, or (absent) every day. */
async function tableDaysOfQuery(sql: string): Promise<Partial<Record<LakeTableName, TableDays>> | undefined> {
  const reads = await lakeTablesOfQuery(sql, lakeTableNames);
  if (!reads) return undefined;
  const days: Partial<Record<LakeTableName, TableDays>> = {};
  for (const t of lakeTableNames) {
    const r = reads[t];
    if (r === 'unread') days[t] = 'skip';
    else if (r !== null) days[t] = r;
  }
  return days;
}

function rethrowAsQueryError(err: unknown): never {
  // Errors of ours (a closed stdout, say) pass; DuckDB's become exit 8.
  if (err instanceof Error && err.constructor !== Error) throw err;
  if (typeof (err as NodeJS.ErrnoException)?.code === 'string') throw err;
  // Out of memory (exit 9) and interrupts (130) are typed by src/db; the rest is the SQL's fault.
  const typed = translateDuckDBError(err);
  if (typed !== err) throw typed;
  throw new QueryError(`query failed: ${describeDuckDBError(err)}`, { cause: err });
}
